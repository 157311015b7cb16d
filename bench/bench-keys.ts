import { generateKeyText } from '../src/keys/key-material.js';

/** One pair of keys for every server a bench run starts, so a restarted server reads what it wrote. */
export const BENCH_KEY_ENV = { LATCH_AUDIT_KEY: generateKeyText(), LATCH_SECRET_KEY: generateKeyText() };
