/*
** names.h: the words users read for the approval codes, defined once here
** and served to the web by GET /api/dict (base/dict.h). The API and the
** exports keep the national codes (BLZT, SPLCLX, 阶段, 辅线) and their
** national names (case_status_name); a page shows these labels instead.
**
** Dictionaries (approval_dicts): approval.case_status (BLZT 1-15 as states,
** "补正中" rather than the event "补正开始"), approval.case_status_filter (the
** statuses a list is filtered by: 4 不受理 only comes with exchanged data
** and is filed under 5), approval.stage (1-5), approval.side_line (51 …
** 54Y), approval.flow_type (SPLCLX 1-10), approval.case_action (the API's
** action names), approval.light (green/yellow/red), approval.step_role,
** approval.document (document kinds), approval.material_form,
** approval.special_kind and approval.special_type (特别程序),
** approval.completion_rule, approval.applicant_kind, approval.case_type (the
** catalogue's codes), approval.unit_kind (项目单位). Everything is static and
** read-only.
*/
#ifndef GG_APPROVAL_NAMES_H
#define GG_APPROVAL_NAMES_H

#include "base/dict.h"

extern const struct dict approval_dicts[];

extern const struct dict_entry approval_stage_names[];
extern const struct dict_entry approval_side_line_names[];
extern const struct dict_entry approval_flow_type_names[];
extern const struct dict_entry approval_action_names[];
extern const struct dict_entry approval_light_names[];
/* The sorts a case list offers (case_query_parse), with their words. */
extern const struct dict_entry approval_case_sorts[];
extern const struct dict_entry approval_unit_kinds[];

/* The label users read for a BLZT status ("补正中"), "未知" when out of range. */
const char *approval_status_label(int status);
/* 材料形式 ("原件") of a catalogue material form, "" when unknown. */
const char *approval_form_label(const char *form);
/* 特别程序种类 ("听证") of a special procedure kind, "其他" when unknown. */
const char *approval_special_kind_label(const char *kind);

#endif
