import { groupEvents } from '../src/health/groupEvents';
import { compileScorecards } from '../src/health/compileScorecard';
import { defaultScorecard } from '../src/health/defaultScorecard';
import { assembleScore, computeStates } from '../src/health/scoreEngine';
const { gen } = await import('./_hgen');
const events = gen();
for (let rep = 0; rep < 2; rep++) {
let t = performance.now();
const tl = groupEvents(events);
console.log('group', (performance.now() - t).toFixed(0)); t = performance.now();
const set = compileScorecards(defaultScorecard, undefined, 'x');
const states = computeStates(tl, new Map(), set, Date.UTC(2025, 6, 1));
console.log('states', (performance.now() - t).toFixed(0)); t = performance.now();
for (const s of states) assembleScore(s, 0, undefined, 3);
console.log('assemble', (performance.now() - t).toFixed(0));
}
