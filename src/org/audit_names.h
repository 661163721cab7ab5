/*
** audit_names.h: the words an auditor reads for the audit log's action
** codes, outcomes and action groups, served by GET /api/dict (base/dict.h):
** audit.action ("case.accept" → 办件受理), audit.action_group ("case.*" →
** 办件办理; the audit list filters by a group with this code), and
** audit.outcome (success → 成功). The log itself keeps the codes. Actions
** not listed here are shown by their code. Static, read-only.
*/
#ifndef GG_AUDIT_NAMES_H
#define GG_AUDIT_NAMES_H

#include "base/dict.h"

extern const struct dict audit_dicts[];

#endif
