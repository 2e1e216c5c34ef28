// The lint stage of a large build, or only its series estimates without verify, in a worker thread
// (lintInWorker starts it).
import { parentPort, workerData } from 'node:worker_threads';
import { O11yError, O11yErrors, type ProjectModel, setTypeScriptLoader, toDiagnostics } from '@o11y/core';
import { loadConfig } from '@o11y/lint';
import { type LintWorkerData, type LintWorkerReply, lintStage, unverifiedSeries } from './verify.ts';

const { root, failOn, loader } = workerData as LintWorkerData;
if (loader !== undefined) setTypeScriptLoader(loader);
// o11y.config.ts is read while the build sends the model.
const config = loadConfig(root);
config.catch(() => undefined);

/** Lints the model (or only estimates) and answers the build: the stage, or the errors that stopped it. */
async function answer(model: ProjectModel): Promise<void> {
  let reply: LintWorkerReply;
  try {
    const stage =
      failOn === undefined
        ? { failures: [], warnings: [], series: await unverifiedSeries(model, await config) }
        : await lintStage(model, await config, failOn);
    reply = { stage: { ...stage, series: [...stage.series] } };
  } catch (error) {
    // What the user must fix goes back as findings; anything else is a defect, and crashes the worker.
    if (!(error instanceof O11yError || error instanceof O11yErrors)) throw error;
    reply = { errors: toDiagnostics(error) };
  }
  parentPort!.postMessage(reply);
  // The thread ends here, and its heap (half a large build's memory) with it: the build's thread, busy
  // emitting, may hear the reply seconds later, and an open MessagePort would keep this one alive until
  // then. The reply is delivered before the build sees the exit.
  process.exit();
}

// Parsed here, outside the async function: its suspended frame would keep the message, the model's
// JSON (a fifth of the worker's heap), alive until lint ends.
parentPort!.once('message', (json: string) => void answer(JSON.parse(json) as ProjectModel));
