// The aggregate report schema, checked strictly: every member must be known
// and of the expected shape, so a widget request carrying anything else fails.
import assert from "node:assert/strict";

const COUNTER_LENGTHS = { engagement: 9, availability: 4, speed: 2, prevention: 9, contribution: 3, productivity: 2, csat: 5, nps: 11, ces: 7 };
const SKETCHES = ["firstResponse", "response", "resolution", "firstResponseOnline", "handleTime"];
const SLUG = /^[a-z0-9_-]{1,64}$/;
const HOUR = 3_600_000;

/** Members a noised report never carries: they have no small sensitivity. */
export const NOT_NOISED = [...SKETCHES, "goals", "tags", "hours"];

const isCount = (n) => Number.isSafeInteger(n) && n >= 0;

function counts(value, max, where, signed = false) {
  const valid = (n) => (signed ? Number.isSafeInteger(n) : isCount(n));
  assert.ok(Array.isArray(value) && value.length <= max && value.every(valid), `${where}: counts ${JSON.stringify(value)}`);
}

/**
 * Asserts that `report` (parsed JSON) is an aggregate report and nothing
 * else. A noised report (differential privacy) has `noise`, may have negative
 * counts, and has none of the members that are never noised.
 */
export function assertAggregateReport(report) {
  assert.equal(typeof report, "object");
  const noised = "noise" in report;
  for (const [key, value] of Object.entries(report)) {
    if (noised) assert.ok(!NOT_NOISED.includes(key), `a noised report does not carry "${key}"`);
    if (key === "v") assert.equal(value, 1);
    else if (key === "site") assert.match(value, SLUG);
    else if (key === "id") assert.match(value, /^[0-9a-f]{32}$/);
    else if (key === "serviceLevelSeconds") assert.ok(Number.isInteger(value) && value > 0);
    else if (key === "period") {
      assert.deepEqual(Object.keys(value).sort(), ["from", "to"]);
      assert.ok(value.from % HOUR === 0 && value.to % HOUR === 0 && value.to > value.from, "whole hours");
    } else if (key === "noise") {
      assert.deepEqual(Object.keys(value).sort(), ["reports", "variance"]);
      assert.ok(value.reports === 1 && isCount(value.variance), `one noised report: ${JSON.stringify(value)}`);
    } else if (key in COUNTER_LENGTHS) counts(value, COUNTER_LENGTHS[key], key, noised);
    else if (SKETCHES.includes(key)) {
      assert.deepEqual(Object.keys(value).sort(), ["buckets", "sumMs"]);
      assert.ok(isCount(value.sumMs));
      for (const pair of value.buckets) counts(pair, 2, `${key}.buckets`);
    } else if (key === "goals" || key === "tags") {
      for (const [name, values] of Object.entries(value)) {
        assert.match(name, SLUG);
        counts(values, key === "goals" ? 4 : 1, `${key}.${name}`);
      }
    } else if (key === "hours") {
      for (const [hour, values] of Object.entries(value)) {
        assert.match(hour, /^(0|[1-9][0-9]?|1[0-5][0-9]|16[0-7])$/);
        counts(values, 5, `hours.${hour}`);
      }
    } else assert.fail(`unexpected member "${key}" in a report`);
  }
  for (const required of ["v", "site", "id", "period", "serviceLevelSeconds"]) assert.ok(required in report, `${required} present`);
}
