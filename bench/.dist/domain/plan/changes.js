// The changes a plan proposes: typed, declarative and complete, so the controller executes them without
// further decisions (it maps each op to one Azure write, idempotently). Every op names its target fully.
export {};
//# sourceMappingURL=changes.js.map