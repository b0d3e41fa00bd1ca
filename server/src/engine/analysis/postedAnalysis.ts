import type { DatasetAnalysis } from './analyze';
import { packFindings, unpackFindings, type PackedFindings } from './packedFindings';
import { recordedRowHashes, recordRowHashes } from '../report/stats';

/**
 * An analysis made in a worker thread, in the form it crosses to the host in: its findings packed
 * (tens of thousands of finding objects take ~0.1 s to copy one by one, see PackedFindings), and the
 * row hashes its statistics were made from, which the split comparison reads and the host could
 * otherwise only get by reading the file again.
 */
export interface PostedAnalysis {
  /** The analysis without its findings (an empty list holds their place, so its keys keep their order). */
  analysis: DatasetAnalysis;
  findings: PackedFindings;
  rowHashes: Float64Array | undefined;
}

/** The analysis to post, and the buffers to hand over with it instead of copying them. */
export function postedAnalysis(analysis: DatasetAnalysis): { posted: PostedAnalysis; transfer: ArrayBuffer[] } {
  const hashes = recordedRowHashes(analysis.stats);
  const posted: PostedAnalysis = { analysis: { ...analysis, findings: [] }, findings: packFindings(analysis.findings), rowHashes: hashes && Float64Array.from(hashes) };
  const transfer = [posted.findings.ints.buffer as ArrayBuffer];
  if (posted.rowHashes) transfer.push(posted.rowHashes.buffer as ArrayBuffer);
  return { posted, transfer };
}

/** The analysis as it was made, from what a worker posted. */
export function receivedAnalysis(posted: PostedAnalysis): DatasetAnalysis {
  const analysis: DatasetAnalysis = { ...posted.analysis, findings: unpackFindings(posted.findings) };
  if (posted.rowHashes) recordRowHashes(analysis.stats, posted.rowHashes);
  return analysis;
}
