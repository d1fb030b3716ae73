import { test } from "node:test";
import assert from "node:assert/strict";
import { libm } from "../math.ts";
import {
  bisectRight,
  bisectRightF64,
  floatPow,
  formatExp4,
  listIndex,
  pyMax,
  pyMin,
  pySum,
  trueDiv,
} from "./python.ts";

test("bisectRight: Python's bisect.bisect_right", async (t) => {
  const a = [10, 20, 20, 30];
  const expected = [0, 1, 1, 3, 3, 4, 4];
  const xs = [5, 10, 15, 20, 25, 30, 35];
  await t.test("counts the entries <= x (ties go right)", () => {
    assert.deepEqual(xs.map((x) => bisectRight(a, x)), expected);
    assert.equal(bisectRight([], 1), 0);
  });
  await t.test("bisectRightF64 agrees on a Float64Array", () => {
    assert.deepEqual(xs.map((x) => bisectRightF64(Float64Array.from(a), x)), expected);
    assert.equal(bisectRightF64(new Float64Array(0), 1), 0);
  });
});

test("listIndex: Python's list indexing", async (t) => {
  await t.test("a non-negative index in range is itself", () => {
    assert.deepEqual([0, 1, 2].map((i) => listIndex(i, 3)), [0, 1, 2]);
  });
  await t.test("a negative index counts from the end", () => {
    assert.deepEqual([-1, -2, -3].map((i) => listIndex(i, 3)), [2, 1, 0]);
  });
  await t.test("out of range on either side is -1 (Python's IndexError)", () => {
    assert.deepEqual([3, 4, -4, -10].map((i) => listIndex(i, 3)), [-1, -1, -1, -1]);
    assert.equal(listIndex(0, 0), -1);
  });
});

test("trueDiv raises where Python raises ZeroDivisionError", () => {
  assert.equal(trueDiv("X", 1, 3), 1 / 3);
  assert.equal(trueDiv("X", 0, -2), -0);
  for (const b of [0, -0]) {
    assert.throws(() => trueDiv("X", 1, b), {
      name: "RangeError",
      message: "X: float division by zero (torch raises ZeroDivisionError)",
    });
  }
});

test("floatPow: Python's x ** y on floats", async (t) => {
  await t.test("Python's special cases, errors instead of NaN/Infinity", () => {
    assert.equal(floatPow("X", 0.5, 2), 0.25);
    assert.equal(floatPow("X", 0, 0), 1);
    assert.equal(floatPow("X", 0, 1.5), 0);
    assert.equal(floatPow("X", -2, 3), -8);
    assert.throws(() => floatPow("X", 0, -1), { name: "RangeError", message: /negative power/ });
    assert.throws(() => floatPow("X", -8, 1 / 3), { name: "RangeError", message: /complex/ });
    assert.throws(() => floatPow("X", 10, 400), { name: "RangeError", message: /overflows/ });
  });
  await t.test("goes through the libm seam", () => {
    const saved = libm.pow;
    libm.pow = () => 42;
    try {
      assert.equal(floatPow("X", 0.3, 0.7), 42);
      assert.equal(floatPow("X", 0.3, 0), 1, "y = 0 is 1 without calling pow, as Python");
    } finally {
      libm.pow = saved;
    }
  });
});

test("pyMax keeps the first argument unless the second is greater (-0 vs 0)", () => {
  assert.ok(Object.is(pyMax(-0, 0), -0));
  assert.ok(Object.is(pyMax(0, -0), 0));
  assert.equal(pyMax(1, 2), 2);
  assert.equal(pyMax(2, 1), 2);
});

test("pyMin keeps the first argument unless the second is smaller (-0 vs 0)", () => {
  assert.ok(Object.is(pyMin(-0, 0), -0));
  assert.ok(Object.is(pyMin(0, -0), 0));
  assert.equal(pyMin(1, 2), 1);
  assert.equal(pyMin(2, 1), 1);
});

// Each row: the items, then `sum(items)` as printed by CPython 3.11.2 and by CPython 3.12.1
// (`repr` of the result; Debian's python3 and pyenv's 3.12.1 on this project's machine).
const SUMS: [number[], number, number][] = [
  [[0.7, 0.2, 0.1], 0.9999999999999999, 1.0],
  [[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], 0.9999999999999999, 1.0],
  [[0.7, 0.2], 0.8999999999999999, 0.8999999999999999],
  [[0.3, 0.3, 0.4], 1.0, 1.0],
  [[1e+100, 1.0, -1e+100], 0.0, 1.0],
  [[0.1, 0.2, 0.3], 0.6000000000000001, 0.6],
  [[-0.0], 0.0, 0.0],
  [[0.0, -0.0], 0.0, 0.0],
  [[0.5, 0.25, 0.125, 0.125], 1.0, 1.0],
  [
    [
      0.24951233933274428,
      0.10393178009245783,
      0.012710727723393336,
      0.21618900568000696,
      0.02477842100988678,
      0.15341081627307745,
      0.23946690988843336,
    ],
    0.9999999999999999,
    1.0,
  ],
  [
    [
      0.035499555089000705,
      0.41056030153728185,
      0.06613662915906886,
      0.08588385291252734,
      0.4019196613021212,
    ],
    0.9999999999999999,
    1.0,
  ],
  [
    [
      0.023757187364075154,
      0.04283881983679035,
      0.12040236265011456,
      0.18186221529516583,
      0.11074414937654968,
      0.07612167264909137,
      0.1873401296985219,
      0.00893906252437485,
      0.1647372613355951,
      0.05557506532098598,
      0.02768207394873513,
    ],
    0.9999999999999998,
    0.9999999999999999,
  ],
  [[0.31486983392389595, 0.30899261826570484, 0.3761375478103992], 1.0, 1.0],
  [[0.3651177621675483, 0.4010979889070627, 0.2337842489253889], 1.0, 1.0],
  [
    [
      0.124933809568352,
      0.09901364261339737,
      0.1085999964534949,
      0.087091723623213,
      0.09328581904007663,
      0.1363582134062409,
      0.0816859084843816,
      0.16200997867261377,
      0.06343656545273697,
      0.04358434268549288,
    ],
    1.0,
    1.0,
  ],
  [[0.34218956058152633, 0.11949634176316284, 0.28120652685636544, 0.2571075707989454], 1.0, 1.0],
  [
    [
      0.21187116355885646,
      0.08363301561206898,
      0.2846968627202063,
      0.03429281699055397,
      0.12144593987337036,
      0.2199155057240116,
      0.04414469552093216,
    ],
    0.9999999999999998,
    0.9999999999999998,
  ],
  [
    [
      0.08760129974743323,
      0.19984455996586709,
      0.016124452594787526,
      0.11593159131632029,
      0.16392208864901128,
      0.17000022808480444,
      0.07065515121131236,
      0.07274413471620855,
      0.1031764937142554,
    ],
    1.0000000000000002,
    1.0000000000000002,
  ],
  [
    [
      0.0196786591480739,
      0.026785408719464728,
      0.07725152965517941,
      0.19948029255513847,
      0.01860176705309404,
      0.209244010814566,
      0.08860379149835444,
      0.16539731030026666,
      0.1949572302558624,
    ],
    1.0,
    1.0,
  ],
  [
    [
      0.0969453173345099,
      0.13141693946397545,
      0.2277714946927909,
      0.007685890935284008,
      0.157273010271191,
      0.057244410341815925,
      0.03988779750348522,
      0.020082377429786604,
      0.26169276202716085,
    ],
    0.9999999999999998,
    0.9999999999999999,
  ],
  [
    [0.2896015131944486, 0.15606376614558706, 0.3595944405702778, 0.19474028008968639],
    0.9999999999999998,
    0.9999999999999998,
  ],
  [[0.16628619619698237, 0.20339900971684557, 0.32702283272068955, 0.3032919613654825], 1.0, 1.0],
  [
    [
      0.0667387197644396,
      0.09954835109092788,
      0.08599898252825476,
      0.2119448017165524,
      0.2295722650964211,
      0.03617638649494302,
      0.0422401430717104,
      0.055601052884178374,
      0.055931657063725965,
      0.11624764028884667,
    ],
    1.0000000000000002,
    1.0000000000000002,
  ],
  [
    [
      0.03375073796111653,
      0.05218394184912994,
      0.026963958840952953,
      0.09895006638335892,
      0.11287317819676113,
      0.05897340063679682,
      0.02322784028857989,
      0.15903390798970868,
      0.17588161703222704,
      0.12123095905841878,
      0.1369303917629494,
    ],
    1.0,
    1.0,
  ],
  [
    [
      0.18196936943165867,
      0.15778248803851255,
      0.17690802994141427,
      0.16140426991251247,
      0.07937556650721209,
      0.08071068623620849,
      0.020944845208115775,
      0.12831243658025748,
      0.01259230814410824,
    ],
    1.0,
    1.0,
  ],
  [[0.6413841804460668, 0.28701168049586623, 0.07160413905806699], 1.0, 1.0],
  [
    [
      0.017936251466107694,
      7.958449424484589e-05,
      0.05160427389536534,
      0.03461473164438335,
      0.12404610721725302,
      0.008699668325395616,
      0.2982798907696384,
      0.20949061860516935,
      0.050678235971731087,
      0.0860581376359906,
      0.11851249997472077,
    ],
    1.0,
    1.0,
  ],
  [
    [
      0.1584857451983013,
      0.03855706325810553,
      0.16313738550229265,
      0.3268386135396666,
      0.16057269047678294,
      0.104237042892979,
      0.04817145913187176,
    ],
    0.9999999999999998,
    0.9999999999999998,
  ],
  [
    [
      0.1876039089983411,
      0.12128209500054449,
      0.17536616513930173,
      0.1308384060321327,
      0.05200118021290446,
      0.2412407047241014,
      0.09166753989267423,
    ],
    1.0,
    1.0,
  ],
  [
    [
      0.1645657192627501,
      0.13648188701264558,
      0.05366249587330898,
      0.11573877362084228,
      0.016383838832242273,
      0.15219858154758314,
      0.09332248013779822,
      0.16350589077601677,
      0.06403288964171258,
      0.04010744329510014,
    ],
    1.0,
    1.0,
  ],
  [
    [
      0.11854419843883297,
      0.05016318237107992,
      0.03393893889948753,
      0.12348289105486754,
      0.14987040128619109,
      0.1297395069809182,
      0.12265623484885647,
      0.12452090847663669,
      0.11258212370158223,
      0.03450161394154745,
    ],
    1.0,
    1.0,
  ],
  [
    [
      0.08012058604700537,
      0.1188527319381355,
      0.16089801290571212,
      0.12846335266055744,
      0.07678073189253064,
      0.03148441198207135,
      0.09838855581935098,
      0.05597606692039027,
      0.13146336883570148,
      0.11757218099854477,
    ],
    1.0,
    0.9999999999999999,
  ],
  [
    [
      0.3420378387992875,
      0.13059600809402253,
      0.07895958811039906,
      0.08124586913441405,
      0.07045121103360237,
      0.07319725368811855,
      0.22351223114015584,
    ],
    0.9999999999999999,
    0.9999999999999999,
  ],
];

test("pySum", async (t) => {
  await t.test("3.11: left to right, one rounding per addition", () => {
    for (const [xs, s311] of SUMS) {
      assert.ok(Object.is(pySum(xs, "3.11"), s311), `pySum 3.11 ${JSON.stringify(xs)}`);
    }
  });
  await t.test("3.12: Neumaier's compensated sum, as CPython 3.12's builtin_sum_impl", () => {
    for (const [xs, , s312] of SUMS) {
      assert.ok(Object.is(pySum(xs, "3.12"), s312), `pySum 3.12 ${JSON.stringify(xs)}`);
    }
  });
  await t.test("the two differ where rounding errors accumulate", () => {
    assert.equal(pySum([0.7, 0.2, 0.1], "3.11"), 0.9999999999999999);
    assert.equal(pySum([0.7, 0.2, 0.1], "3.12"), 1);
    assert.ok(SUMS.some(([xs, a, b]) => xs.length > 2 && a !== b));
  });
  await t.test("compensation: |f| < |x| branch and cancellation", () => {
    // 1e100 + 1 loses the 1; the compensation keeps it (branch |f| >= |x|), then -1e100.
    assert.equal(pySum([1e100, 1.0, -1e100], "3.12"), 1);
    assert.equal(pySum([1e100, 1.0, -1e100], "3.11"), 0);
    // The small item first: the |f| < |x| branch.
    assert.equal(pySum([1.0, 1e100, -1e100], "3.12"), 1);
  });
  await t.test("empty, one item, signed zeros", () => {
    assert.equal(pySum([], "3.12"), 0);
    assert.equal(pySum([0.25], "3.11"), 0.25);
    assert.ok(Object.is(pySum([-0], "3.12"), 0), "0 + -0.0 is +0.0, as Python's int start");
    assert.ok(Object.is(pySum([-0], "3.11"), 0));
  });
  await t.test("a non-finite compensation is not added", () => {
    // 1e308 + 1e308 overflows: t = Infinity, c = (1e308 - Infinity) + 1e308 = -Infinity.
    assert.equal(pySum([1e308, 1e308], "3.12"), Infinity);
    assert.equal(pySum([1e308, 1e308, 1.0], "3.12"), Infinity);
  });
});

test('formatExp4 is Python\'s f"{x:.4e}", exact ties to even', () => {
  // Expected values printed by CPython 3.11.
  const cases: [number, string][] = [
    [1e-05, "1.0000e-05"],
    [0.02, "2.0000e-02"],
    [1.03125, "1.0312e+00"], // an exact tie: to even (JavaScript rounds it up)
    [1.03135, "1.0313e+00"], // not exact: the nearest
    [0.000103125, "1.0312e-04"],
    [-2.5e-05, "-2.5000e-05"],
    [0, "0.0000e+00"],
    [123456.5, "1.2346e+05"],
    [1.09375, "1.0938e+00"], // a tie, odd kept digit: up
    [3e+100, "3.0000e+100"],
  ];
  for (const [x, expected] of cases) assert.equal(formatExp4(x), expected, String(x));
});
