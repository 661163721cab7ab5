/*
** project_clock.c: the one clock of a whole project (see case.h and
** docs/api.md, "Project clock"), used by the project timeline (the page),
** the statistics reports and their exports alike.
**
** It counts the working days from the first stage application (that day
** not counted) to the completion of 竣工验收, the fourth stage, or to today
** while the project runs — waiting between stages included, as an applicant
** lives it — and holds them against the province's target for the flow type
** (省办发〔2021〕18号): 90 working days for government investment (1 房屋建筑,
** 2 线性工程), 65 for general social investment (3); the other types have no
** target, hence no light and no on-time verdict. The stages' own limits are
** each stage's clock, not the project's.
*/
#include "approval/case.h"

int case_project_target(int flow_type)
{
	switch (flow_type) {
	case 1:
	case 2: return 90;
	case 3: return 65;
	default: return 0;
	}
}

int case_project_span(const struct case_env *env, int flow_type, int64_t started, int64_t finished, int64_t now,
		      struct deadline_span *out, struct err *e)
{
	return deadline_span(env->cal, &env->dl, deadline_day(started), finished ? deadline_day(finished) : DEADLINE_NONE,
			     case_project_target(flow_type), now, out, e);
}
