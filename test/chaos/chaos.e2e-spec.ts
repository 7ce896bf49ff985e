import { chaosSuite } from './chaos-suite.js';
import { REDUCED_SCALE } from './support/scale.js';

// The reduced chaos run that `npm test` includes; `npm run chaos` runs the same scenarios at full scale.
chaosSuite(REDUCED_SCALE);
