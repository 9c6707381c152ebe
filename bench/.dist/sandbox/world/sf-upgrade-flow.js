const upper = (tp) => tp.toUpperCase();
function union(a, b) {
    const out = a.map(upper);
    for (const tp of b.map(upper))
        if (!out.includes(tp))
            out.push(tp);
    return out;
}
function mergeCommonNames(a, b) {
    const out = a.map((rule) => ({
        commonName: rule.commonName,
        issuerThumbprints: rule.issuerThumbprints.map(upper),
    }));
    for (const rule of b) {
        const existing = out.find((r) => r.commonName.toLowerCase() === rule.commonName.toLowerCase());
        if (existing === undefined)
            out.push({ commonName: rule.commonName, issuerThumbprints: rule.issuerThumbprints.map(upper) });
        else
            existing.issuerThumbprints = union(existing.issuerThumbprints, rule.issuerThumbprints);
    }
    return out;
}
export function mergeDeclarations(a, b) {
    return {
        thumbprints: union(a.thumbprints, b.thumbprints),
        commonNames: mergeCommonNames(a.commonNames, b.commonNames),
    };
}
function diff(current, target) {
    const curTp = new Set(current.thumbprints.map(upper));
    const tgtTp = new Set(target.thumbprints.map(upper));
    const curCn = new Map(current.commonNames.map((r) => [r.commonName.toLowerCase(), r]));
    const tgtCn = new Map(target.commonNames.map((r) => [r.commonName.toLowerCase(), r]));
    let added = [...tgtTp].filter((tp) => !curTp.has(tp)).length +
        [...tgtCn.keys()].filter((cn) => !curCn.has(cn)).length;
    const removed = [...curTp].filter((tp) => !tgtTp.has(tp)).length +
        [...curCn.keys()].filter((cn) => !tgtCn.has(cn)).length;
    const namesOrThumbprintsChanged = added + removed > 0 ||
        current.thumbprints.map(upper).join(',') !== target.thumbprints.map(upper).join(',');
    let issuersChanged = false;
    for (const [cn, rule] of tgtCn) {
        const before = curCn.get(cn);
        if (before === undefined)
            continue;
        const was = new Set(before.issuerThumbprints.map(upper));
        const now = new Set(rule.issuerThumbprints.map(upper));
        if (was.size !== now.size || [...now].some((tp) => !was.has(tp)))
            issuersChanged = true;
        // Issuers newly pinned on a CN that stays count as an addition to the white list (step 1).
        if ([...now].some((tp) => !was.has(tp)) && namesOrThumbprintsChanged)
            added += 1;
    }
    return { added, removed, issuersChanged, namesOrThumbprintsChanged };
}
/** The upgrade steps SFRP runs to move a cluster from `current` to `target`. */
export function certificateUpgradeFlow(current, target) {
    const changes = diff(current, target);
    if (!changes.namesOrThumbprintsChanged) {
        if (!changes.issuersChanged)
            return { kind: 'none', steps: [] };
        return { kind: 'configuration', steps: [{ validation: target, presentation: target }] };
    }
    const steps = [];
    let whiteList = current;
    if (changes.added > 0) {
        whiteList = mergeDeclarations(current, target);
        steps.push({ validation: whiteList, presentation: current });
    }
    steps.push({ validation: whiteList, presentation: target });
    const singleAddition = changes.added === 1 && changes.removed === 0;
    if (!singleAddition)
        steps.push({ validation: target, presentation: target });
    return { kind: 'certificate', steps };
}
//# sourceMappingURL=sf-upgrade-flow.js.map