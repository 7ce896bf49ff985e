import { chaosSuite } from './chaos-suite.js';
import { FULL_SCALE } from './support/scale.js';

// `npm run chaos`: every scenario at full scale (1,000 jobs, ≥ 20 worker kills, ...).
chaosSuite(FULL_SCALE);
