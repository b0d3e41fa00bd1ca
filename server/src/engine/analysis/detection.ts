import type { Config } from '../config';
import { detectAnnotationShape, type AnnotationShape } from '../labels/agreement';
import type { SourceRow } from '../read';
import { detectFormat, type FieldMap, type UnknownField } from '../schema/formats';
import type { FormatName } from '../types';

/** What a file's rows are: their format and which fields hold what, as detected from the first rows (settings may force them). */
export interface Detection {
  format: FormatName;
  fields: FieldMap;
  /** The fields were guessed from their values (no field had a known name). */
  guessed?: boolean;
  /** Fields named by settings that the file does not have. */
  unknownFields?: UnknownField[];
  /** Classification files: where several annotators' labels are, when the file has them (annotator-disagreement). */
  annotators?: AnnotationShape;
}

/** A classification file's annotation shape, from the annotatorFields setting or its first rows' field names. */
export function annotationShapeOf(format: FormatName, sample: readonly Record<string, unknown>[], config: Pick<Config, 'annotatorFields'>): AnnotationShape | undefined {
  return format === 'classification' ? detectAnnotationShape(sample, config.annotatorFields) : undefined;
}

const DETECTION_SAMPLE = 200;

/** Detects a file's format from its first rows (settings may force it). */
export function detectDatasetFormat(rows: Iterable<SourceRow>, config: Config): Detection {
  const sample: Record<string, unknown>[] = [];
  let seen = 0;
  for (const r of rows) {
    if (r.value !== undefined) sample.push(r.value as Record<string, unknown>);
    if (++seen >= DETECTION_SAMPLE) break;
  }
  const { format, fields, guessed, unknownFields } = detectFormat(sample, { format: config.format, textField: config.textField, labelField: config.labelField });
  const annotators = annotationShapeOf(format, sample, config);
  return { format, fields, ...(guessed ? { guessed } : {}), ...(unknownFields ? { unknownFields } : {}), ...(annotators ? { annotators } : {}) };
}
