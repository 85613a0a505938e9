import { pruneIntake } from "../../domain/intake/prune-intake.js";
import type { JobDefinition } from "../job-definition.js";

/**
 * Accepted submissions kick this process's intake worker; the sweep records what another instance accepted and
 * did not record before it stopped, and forgets processed submissions past their retention.
 */
export const intakeSweepJob: JobDefinition = {
  name: "intake-sweep",
  cron: "* * * * *",
  description: "record every lead and sale waiting in the intake; prune processed submissions after 30 days",
  async run(deps) {
    await deps.intake.drain();
    return pruneIntake(deps);
  },
};
