/**
 * The benchmark report, in order. To add a section (near-duplicate
 * precision/recall, split/augment throughput, LSP re-check latency, …) write
 * bench/sections/<name>.ts exporting a BenchSection and list it here.
 */
import type { BenchSection } from "../lib/context";
import { falsePositives } from "./false-positives";
import { recall } from "./recall";
import { splitAugment } from "./split-augment";
import { lsp } from "./lsp";
import { nearDuplicates } from "./near-duplicates";
import { throughput } from "./throughput";
import { engineTarget } from "./engine-target";

export const SECTIONS: BenchSection[] = [throughput, engineTarget, recall, falsePositives, nearDuplicates, lsp, splitAugment];
