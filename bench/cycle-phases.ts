// Where a close → report goes, read from the cycle's own history: the
// server's event times of its start, of its last batch's completion, of the
// workflow task that then ranks and saves, and of its completion, each from
// the close. Event times are the server's wall clock, the close is the
// exchange's: the caller converts with the simulator's offset from real time.
import type { Client } from '@temporalio/client';
import proto, { type temporal } from '@temporalio/proto';

// A CommonJS module: its values come through the default export under tsx.
const EventType = proto.temporal.api.enums.v1.EventType;

/** Milliseconds from the close to each moment of one cycle. */
export interface CyclePhases {
  started: number;
  lastBatchDone: number;
  /** The parent's workflow task after the last batch (ranking, the report's assembly, the save). */
  finalTaskStarted: number;
  completed: number;
}

export const PHASES: ReadonlyArray<keyof CyclePhases> = [
  'started',
  'lastBatchDone',
  'finalTaskStarted',
  'completed',
];

const msOf = (time: temporal.api.history.v1.IHistoryEvent['eventTime']) =>
  Number(time?.seconds ?? 0) * 1000 + (time?.nanos ?? 0) / 1e6;

export async function cyclePhases(
  client: Client,
  workflowId: string,
  closeRealMs: number,
): Promise<CyclePhases> {
  const { events } = await client.workflow.getHandle(workflowId).fetchHistory();
  const list = events ?? [];
  const at = (i: number) => Math.round(msOf(list[i]!.eventTime) - closeRealMs);
  const lastChild = list.findLastIndex(
    (e) => e.eventType === EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED,
  );
  const finalTask = list.findIndex(
    (e, i) => i > lastChild && e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  );
  const completed = list.findIndex((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
  if (lastChild < 0 || finalTask < 0 || completed < 0)
    throw new Error(`cycle ${workflowId}: its history has no batch, final task or completion`);
  return {
    started: at(0),
    lastBatchDone: at(lastChild),
    finalTaskStarted: at(finalTask),
    completed: at(completed),
  };
}
