import { IntakeWorker, type IntakeWorkerDeps } from "./intake-worker.js";
import { IntakeWriter } from "./intake-writer.js";

/** The intake of this process: the writer answers `Prefer: respond-async` requests, the worker records them. */
export interface IntakeRuntime {
  writer: IntakeWriter;
  worker: IntakeWorker;
  close(): Promise<void>;
}

export function createIntakeRuntime(deps: IntakeWorkerDeps): IntakeRuntime {
  const writer = new IntakeWriter(deps.db, deps.log);
  const worker = new IntakeWorker(deps);
  return {
    writer,
    worker,
    async close() {
      // Whatever was accepted is answered first; what waits is stored and recorded by the next start.
      await writer.drain();
      await worker.close();
    },
  };
}
