// The envelope every custom resource has. A CRD may not constrain `metadata` beyond `type: object` (the API
// server validates ObjectMeta itself), so its TypeScript shape is written here by hand. The envelope is
// optional in the schema (the API server always sets it) and required in the resource types.
import { Type } from '@sinclair/typebox';
import { API_GROUP, API_VERSION } from '../domain/names.js';
/** The apiVersion of both kinds: `kvrollover.io/v1alpha1`. */
export const ROTATION_API_VERSION = `${API_GROUP}/${API_VERSION}`;
export function envelopeProperties(kind) {
    return {
        apiVersion: Type.Optional(Type.String({
            description: 'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.',
        })),
        kind: Type.Optional(Type.String({
            description: `Kind is a string value representing the REST resource this object represents (${kind}).`,
        })),
        metadata: Type.Optional(
        // Only `type: object`, as controller-gen emits it: the API server forbids constraining metadata
        // beyond name/generateName, so nothing else goes here.
        Type.Unsafe({ type: 'object' })),
    };
}
//# sourceMappingURL=metadata.js.map