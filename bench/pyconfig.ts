// Python config files (.py): the cold start of the sandboxed interpreter and the cost of each
// later file, on the runtime that runs this script. `--child` measures one fresh process and prints
// JSON; without it the script runs three children on each of Deno, Bun and Node and prints the
// table for BENCH.md.
//
//   node --import tsx bench/pyconfig.ts      (needs ./node_modules/.bin/deno and bun)
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { loadavg } from "node:os";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { PythonConfigLoader } from "../config/pyodide/load.ts";
import { lazyConfigSchedule } from "../config/lazyconfig.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SUITE = `${ROOT}fixtures/configs-py`;
const D2 = `${SUITE}/detectron2`;

/** The suite's 45 LazyConfigs. */
const LAZY: string[] =
  (JSON.parse(gunzipSync(readFileSync(`${SUITE}/manifest.json.gz`)).toString()) as {
    cases: { kind: string; config: string }[];
  }).cases.filter((c) => c.kind === "lazyconfig").map((c) => c.config);

/** The files timed one by one (each loaded 5 times once the interpreter runs). */
const FILES = [
  {
    name: "mmengine schedule_1x.py (1 file)",
    path: "mmdet/configs/_base_/schedules/schedule_1x.py",
    kind: "mmengine",
  },
  {
    name: "mmengine RTMDet-l (4 files, _base_)",
    path: "mmdet/configs/rtmdet/rtmdet_l_8xb32-300e_coco.py",
    kind: "mmengine",
  },
  {
    name: "mmengine DINO, read_base (3 files)",
    path: "mmdet/mmdet/configs/dino/dino_4scale_r50_8xb2_12e_coco.py",
    kind: "mmengine",
  },
  {
    name: "LazyConfig retinanet 1x (5 files)",
    path: "detectron2/configs/COCO-Detection/retinanet_R_50_FPN_1x.py",
    kind: "lazyconfig",
  },
  {
    name: "LazyConfig ViTDet LVIS (8 files, model_zoo)",
    path: "detectron2/projects/ViTDet/configs/LVIS/mask_rcnn_vitdet_b_100ep.py",
    kind: "lazyconfig",
  },
] as const;

function runtime(): string {
  const g = globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string } };
  if (g.Deno) return `deno ${g.Deno.version.deno}`;
  if (g.Bun) return `bun ${g.Bun.version}`;
  return `node ${process.versions.node}`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function child(): Promise<void> {
  const t0 = performance.now();
  const loader = new PythonConfigLoader();
  const first = await loader.load(`${SUITE}/${FILES[0].path}`, { kind: "mmengine" });
  const cold = performance.now() - t0;
  if (!("param_scheduler" in first.config)) throw new Error("no param_scheduler");
  const perFile: Record<string, number> = {};
  // CPU milliseconds per load (process-wide, so the worker's thread counts): the figure that a
  // loaded machine distorts least.
  const cpuPerFile: Record<string, number> = {};
  for (const f of FILES) {
    const times: number[] = [];
    const c0 = process.cpuUsage();
    for (let k = 0; k < 5; k++) {
      const t = performance.now();
      await loader.load(`${SUITE}/${f.path}`, {
        kind: f.kind,
        ...(f.kind === "lazyconfig" ? { detectron2Root: D2 } : {}),
      });
      times.push(performance.now() - t);
    }
    perFile[f.name] = median(times);
    const c = process.cpuUsage(c0);
    cpuPerFile[f.name] = (c.user + c.system) / 1000 / 5;
  }
  // Every LazyConfig of the suite, and its schedule built: the whole configs-py workload.
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  let n = 0;
  for (const path of LAZY) {
    const { config } = await loader.load(`${SUITE}/${path}`, {
      kind: "lazyconfig",
      detectron2Root: D2,
    });
    lazyConfigSchedule(config);
    n++;
  }
  const all45 = performance.now() - t1;
  const c45 = process.cpuUsage(c1);
  const all45CpuMs = (c45.user + c45.system) / 1000;
  await loader.close();
  console.log(
    JSON.stringify({
      runtime: runtime(),
      cold,
      startupMs: loader.startupMs,
      perFile,
      cpuPerFile,
      all45,
      all45CpuMs,
      n,
    }),
  );
}

/** One cold start in a fresh process: the interpreter and one file, then exit. */
async function cold(): Promise<void> {
  const t0 = performance.now();
  const loader = new PythonConfigLoader();
  await loader.load(`${SUITE}/${FILES[0].path}`, { kind: "mmengine" });
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ runtime: runtime(), cold: ms, startupMs: loader.startupMs }));
  await loader.close();
}

if (process.argv.includes("--child")) {
  await child();
} else if (process.argv.includes("--cold")) {
  await cold();
} else {
  const commands: [string, string[]][] = [
    ["deno", [`${ROOT}node_modules/.bin/deno`, "run", "-A", "bench/pyconfig.ts"]],
    ["bun", [`${ROOT}node_modules/.bin/bun`, "bench/pyconfig.ts"]],
    ["node", [process.execPath, "--import", "tsx", "bench/pyconfig.ts"]],
  ];
  console.log(`load average before: ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  for (const [name, [cmd, ...args]] of commands) {
    // Cold: a whole process (runtime, interpreter, one file) under /usr/bin/time for its CPU time.
    for (let r = 0; r < 3; r++) {
      const out = spawnSync("/usr/bin/time", ["-f", "TIME %e %U %S %M", cmd!, ...args, "--cold"], {
        cwd: ROOT,
        encoding: "utf8",
      });
      if (out.status !== 0) throw new Error(`${name}: ${out.stderr}`);
      const time = /TIME (\S+) (\S+) (\S+) (\S+)/.exec(out.stderr)!;
      console.log(JSON.stringify({
        name,
        mode: "cold",
        ...JSON.parse(out.stdout.trim().split("\n").pop()!),
        processWallS: Number(time[1]),
        cpuS: Number(time[2]) + Number(time[3]),
        maxRssMB: Number(time[4]) / 1024,
      }));
    }
    const out = spawnSync(cmd!, [...args, "--child"], { cwd: ROOT, encoding: "utf8" });
    if (out.status !== 0) throw new Error(`${name}: ${out.stderr}`);
    console.log(
      JSON.stringify({ name, mode: "warm", ...JSON.parse(out.stdout.trim().split("\n").pop()!) }),
    );
    console.log(`load average: ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  }
}
