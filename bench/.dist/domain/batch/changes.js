export {};
//# sourceMappingURL=changes.js.map