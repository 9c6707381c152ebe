// Typed observations of the Azure world, as the planner reads them. Built by the pure parse functions of
// this directory from the raw REST bodies (the snapshot layout of design §2), so a live gather and an
// offline snapshot give the planner exactly the same input. Thumbprints are uppercase hex.
export {};
//# sourceMappingURL=types.js.map