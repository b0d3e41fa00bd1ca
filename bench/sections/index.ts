/**
 * The benchmark report, in order. To add a section (near-duplicate
 * precision/recall, split/augment throughput, LSP re-check latency, …) write
 * bench/sections/<name>.ts exporting a BenchSection and list it here.
 */
import type { BenchSection } from "../lib/context";
import { falsePositives } from "./false-positives";
import { recall } from "./recall";
import { splitAugment } from "./split-augment";
import { augmentSamples } from "./augment-samples";
import { lsp } from "./lsp";
import { nearDuplicates } from "./near-duplicates";
import { throughput } from "./throughput";
import { engineTarget } from "./engine-target";
import { memory } from "./memory";
import { longRows } from "./long-rows";
import { globs } from "./globs";
import { privacy } from "./privacy";
import { labels } from "./labels";
import { shapes } from "./shapes";
import { startup } from "./startup";
import { chinese } from "./chinese";
import { tokens } from "./tokens";

/**
 * The timed targets run first: later sections leave the bench process holding the parsed million-row
 * reports, and its garbage collector then competes with the measured process for the machine's two cores
 * (measured A/B: the engine target was 0.6-1 s slower after the throughput section than before it).
 */
export const SECTIONS: BenchSection[] = [engineTarget, startup, shapes, tokens, memory, longRows, lsp, throughput, recall, falsePositives, privacy, nearDuplicates, splitAugment, augmentSamples, globs, labels, chinese];
