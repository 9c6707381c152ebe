// Decoding of the Kubernetes protobuf envelope for the few built-in kinds kubectl's typed generators send
// that way (`kubectl create secret|configmap|namespace`): Secret, ConfigMap, Namespace. Field numbers are
// those of k8s.io/api/core/v1/generated.proto and k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto.
// https://kubernetes.io/docs/reference/using-api/api-concepts/#protobuf-encoding
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"
function readVarint(buf, pos) {
    let result = 0n;
    let shift = 0n;
    for (;;) {
        if (pos.i >= buf.length)
            throw new Error('truncated varint');
        const byte = buf[pos.i++];
        result |= BigInt(byte & 0x7f) << shift;
        if ((byte & 0x80) === 0)
            return result;
        shift += 7n;
    }
}
function fields(buf) {
    const out = [];
    const pos = { i: 0 };
    while (pos.i < buf.length) {
        const tag = Number(readVarint(buf, pos));
        const number = tag >>> 3;
        const wire = tag & 7;
        if (wire === 0)
            out.push({ number, wire, value: readVarint(buf, pos) });
        else if (wire === 2) {
            const length = Number(readVarint(buf, pos));
            out.push({ number, wire, value: buf.subarray(pos.i, pos.i + length) });
            pos.i += length;
        }
        else if (wire === 1) {
            out.push({ number, wire, value: buf.subarray(pos.i, pos.i + 8) });
            pos.i += 8;
        }
        else if (wire === 5) {
            out.push({ number, wire, value: buf.subarray(pos.i, pos.i + 4) });
            pos.i += 4;
        }
        else
            throw new Error(`unsupported wire type ${wire}`);
    }
    return out;
}
const str = (f) => f.value.toString('utf8');
const bytes = (f) => f.value;
function mapEntry(f, asBytes) {
    let key = '';
    let value = '';
    for (const e of fields(bytes(f))) {
        if (e.number === 1)
            key = str(e);
        if (e.number === 2)
            value = asBytes ? bytes(e).toString('base64') : str(e);
    }
    return [key, value];
}
function objectMeta(buf) {
    const meta = {};
    const labels = {};
    const annotations = {};
    const finalizers = [];
    for (const f of fields(buf)) {
        switch (f.number) {
            case 1:
                meta.name = str(f);
                break;
            case 2:
                meta.generateName = str(f);
                break;
            case 3:
                meta.namespace = str(f);
                break;
            case 6:
                meta.resourceVersion = str(f);
                break;
            case 11: {
                const [k, v] = mapEntry(f, false);
                labels[k] = v;
                break;
            }
            case 12: {
                const [k, v] = mapEntry(f, false);
                annotations[k] = v;
                break;
            }
            case 14:
                finalizers.push(str(f));
                break;
            default:
                break;
        }
    }
    if (Object.keys(labels).length)
        meta.labels = labels;
    if (Object.keys(annotations).length)
        meta.annotations = annotations;
    if (finalizers.length)
        meta.finalizers = finalizers;
    return meta;
}
function secret(buf) {
    const out = {};
    const data = {};
    const stringData = {};
    for (const f of fields(buf)) {
        if (f.number === 1)
            out.metadata = objectMeta(bytes(f));
        else if (f.number === 2) {
            const [k, v] = mapEntry(f, true);
            data[k] = v;
        }
        else if (f.number === 3)
            out.type = str(f);
        else if (f.number === 4) {
            const [k, v] = mapEntry(f, false);
            stringData[k] = v;
        }
        else if (f.number === 5)
            out.immutable = f.value === 1n;
    }
    if (Object.keys(data).length)
        out.data = data;
    if (Object.keys(stringData).length)
        out.stringData = stringData;
    return out;
}
function configMap(buf) {
    const out = {};
    const data = {};
    const binaryData = {};
    for (const f of fields(buf)) {
        if (f.number === 1)
            out.metadata = objectMeta(bytes(f));
        else if (f.number === 2) {
            const [k, v] = mapEntry(f, false);
            data[k] = v;
        }
        else if (f.number === 3) {
            const [k, v] = mapEntry(f, true);
            binaryData[k] = v;
        }
        else if (f.number === 4)
            out.immutable = f.value === 1n;
    }
    if (Object.keys(data).length)
        out.data = data;
    if (Object.keys(binaryData).length)
        out.binaryData = binaryData;
    return out;
}
function namespace(buf) {
    const out = {};
    for (const f of fields(buf)) {
        if (f.number === 1)
            out.metadata = objectMeta(bytes(f));
        if (f.number === 2) {
            const finalizers = fields(bytes(f))
                .filter((x) => x.number === 1)
                .map(str);
            if (finalizers.length)
                out.spec = { finalizers };
        }
    }
    return out;
}
const DECODERS = {
    'v1/Secret': secret,
    'v1/ConfigMap': configMap,
    'v1/Namespace': namespace,
};
/**
 * Decodes a protobuf request body into the JSON form, or returns undefined when the kind is not one of
 * those supported (the caller answers 415).
 */
export function decodeProtobuf(body) {
    if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC))
        return undefined;
    let apiVersion = '';
    let kind = '';
    let raw;
    for (const f of fields(body.subarray(4))) {
        if (f.number === 1) {
            for (const t of fields(bytes(f))) {
                if (t.number === 1)
                    apiVersion = str(t);
                if (t.number === 2)
                    kind = str(t);
            }
        }
        else if (f.number === 2)
            raw = bytes(f);
    }
    const decoder = DECODERS[`${apiVersion}/${kind}`];
    if (!decoder || !raw)
        return undefined;
    return { apiVersion, kind, ...decoder(raw) };
}
//# sourceMappingURL=protobuf.js.map