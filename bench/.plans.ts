import "reflect-metadata";
import { planScenario } from '../test/reliability/harness.js';
for (let s = 1; s <= 200; s++) { const p = planScenario(s, { maxRenewals: 2, maxFaults: 4 }); console.log(s, p.operators, p.pinSpare, p.faults.map((f) => f.kind).join(','), '|', p.renewals.join(',')); }
