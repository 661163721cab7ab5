/* desk-my-requests.js: 我的需求 — every account submits and follows its requests. */
import { render as requests } from './desk-requests.js';

export function render(ctx) {
  return requests(ctx, true);
}
