// The shapes the emulator stores and serves. Objects are kept as plain JSON (as etcd keeps them).
export const apiVersionOf = (type) => type.group ? `${type.group}/${type.version}` : type.version;
//# sourceMappingURL=types.js.map