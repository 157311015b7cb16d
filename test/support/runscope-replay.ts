import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import type { Response } from './harness.js';

// Replays a Runscope test export (Okta's SCIM 2.0 spec test) step by step: each request with its variables
// substituted, each assertion checked as Runscope checks it, each variable extracted for later steps, and each
// step's script run with the response. Pauses are skipped (they only space out calls to a remote service), and
// response-time assertions are not checked here: timings are measured by the benchmark, not by tests.

interface Assertion {
  comparison: string;
  property?: string | null;
  value: string | null;
  source: string;
}
interface Step {
  step_type: string;
  method?: string;
  url?: string;
  note?: string;
  body?: string;
  headers?: Record<string, string | string[]>;
  assertions?: Assertion[];
  variables?: { source: string; property: string; name: string }[];
  scripts?: string[];
}
export interface RunscopeTest {
  name: string;
  steps: Step[];
}

export const loadRunscopeTest = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as RunscopeTest;

export type Send = (
  method: string,
  url: string,
  headers: Record<string, string>,
  body: string | undefined,
) => Promise<Response>;

/** Substitutes {{variables}}; an undefined one is an error, except in a step's note (its title). */
const fill = (text: string, vars: Record<string, string>, lenient = false) =>
  text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    if (name in vars) return vars[name]!;
    if (lenient) return whole;
    throw new Error(`variable ${name} is not defined`);
  });

/** A Runscope property path (`Resources[0].name.familyName`); a name applied to an array maps over it. */
export function property(body: unknown, path: string): unknown {
  let values: unknown[] = [body];
  for (const part of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    const index = /^\[(\d+)\]$/.exec(part);
    values = values.flatMap((v) => {
      if (index) return Array.isArray(v) ? [v[Number(index[1])]] : [];
      if (Array.isArray(v))
        return v.map((e) => (e && typeof e === 'object' ? (e as Record<string, unknown>)[part] : undefined));
      return v && typeof v === 'object' ? [(v as Record<string, unknown>)[part]] : [undefined];
    });
  }
  return values.length === 1 ? values[0] : values.filter((v) => v !== undefined);
}

const empty = (v: unknown) =>
  v === undefined ||
  v === null ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && Object.keys(v).length === 0);

function check(a: Assertion, res: Response, vars: Record<string, string>): string | undefined {
  if (a.source === 'response_time') return undefined;
  const actual = a.source === 'response_status' ? res.status : property(res.body, a.property ?? '');
  const expected = a.value === null ? null : fill(a.value, vars);
  const ok = (() => {
    switch (a.comparison) {
      case 'equal_number':
        return Number(actual) === Number(expected);
      case 'equal':
        return String(actual) === expected;
      case 'not_empty':
        return !empty(actual);
      case 'is_a_number':
        return typeof actual === 'number';
      case 'contains':
        return Array.isArray(actual) ? actual.includes(expected) : String(actual).includes(expected ?? '');
      case 'has_value':
        if (expected === null) return !empty(actual);
        return Array.isArray(actual) ? actual.includes(expected) : actual === expected;
      default:
        throw new Error(`unknown comparison ${a.comparison}`);
    }
  })();
  return ok
    ? undefined
    : `${a.source}${a.property ? ` ${a.property}` : ''} ${a.comparison} ${expected ?? ''}: got ${JSON.stringify(actual)}`;
}

export interface StepResult {
  index: number;
  note: string;
  failures: string[];
}

/** Runs every request step in order; returns each step's failures (none when it passed). */
export async function replay(
  test: RunscopeTest,
  vars: Record<string, string>,
  send: Send,
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const [index, step] of test.steps.entries()) {
    if (step.step_type !== 'request') continue;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(step.headers ?? {}))
      headers[name.toLowerCase()] = fill(Array.isArray(value) ? value.join(', ') : value, vars);
    const url = new URL(fill(step.url!, vars));
    const res = await send(
      step.method!,
      `${url.pathname}${url.search}`,
      headers,
      step.body && fill(step.body, vars),
    );
    const failures = (step.assertions ?? []).flatMap((a) => check(a, res, vars) ?? []);
    for (const script of step.scripts ?? []) {
      try {
        const response = { status: res.status, body: JSON.stringify(res.body) };
        runInNewContext(script, { response, assert, log: () => undefined, JSON, Array });
      } catch (err) {
        failures.push(`script: ${(err as Error).message}`);
      }
    }
    for (const v of step.variables ?? []) vars[v.name] = String(property(res.body, v.property));
    results.push({ index, note: fill(step.note ?? '', vars, true), failures });
  }
  return results;
}
