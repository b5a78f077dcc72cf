import type { z } from 'zod';
import { lengthProblem } from '../incidents/text-length';

/**
 * For `.superRefine`: refuses text over `max` characters as a person counts them, naming the
 * text's length. Not zod's `.max`: its message cannot say the length, and the count must be the
 * one the domain refuses by (text-length.ts), whichever way a zod version counts.
 */
export function atMost(label: string, max: number) {
  return (text: string, ctx: z.RefinementCtx) => {
    const problem = lengthProblem(label, text, max);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  };
}
