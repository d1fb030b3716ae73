// Resuming through JSON in every mode (testing/resume.ts), and state checked when it is loaded.
import { test } from "node:test";
import { PlateauLRScheduler } from "./mod.ts";
import { groups, resumesExactly } from "../../testing/resume.ts";

test("timm PlateauLRScheduler resumes through JSON in every mode", () => {
  // timm's state_dict holds only `best` and `last_epoch`: a resumed run forgets its bad epochs
  // and cooldown, upstream as here, so only JSON against the state object is compared.
  for (const mode of ["min", "max"] as const) {
    resumesExactly(`timm ${mode}`, () => {
      const optimizer = groups();
      const s = new PlateauLRScheduler({ optimizer, mode, patienceT: 1, cooldownT: 1 });
      return {
        optimizer,
        step: (m, i) => s.step(i + 1, mode === "max" ? -m : m),
        stateDict: () => s.stateDict(),
        loadStateDict: (st) => s.loadStateDict(st),
      };
    }, false);
  }
});
