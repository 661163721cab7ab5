/*
** desk-mine.js: 我的报障 — every account reports a fault and follows its own
** tickets (the list of desk.js with mine=1).
*/
import { render as desk } from './desk.js';

export function render(ctx) {
  return desk(ctx, true);
}
