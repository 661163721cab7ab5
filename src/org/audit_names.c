/*
** audit_names.c: labels of the audit log's codes (see audit_names.h). The
** group of an action is the part before its first dot.
*/
#include "org/audit_names.h"

static const struct dict_entry groups[] = {
	{"session.*", "登录与会话"}, {"user.*", "账号与权限"}, {"district.*", "行政区划"},
	{"department.*", "部门"}, {"project.*", "项目"}, {"case.*", "办件办理"}, {"catalog.*", "事项目录"},
	{"calendar.*", "工作日历"}, {"stats.*", "统计"}, {"ops.*", "运维"}, {"audit.*", "审计"},
	{"system.*", "系统"}, {"security.*", "安全密钥"}, {"demo.*", "演示数据"},
	{"repair.*", "数据修复"}, {"import.*", "数据导入"}, {"paperwork.*", "运维报告"}, {"business.*", "营商环境"},
	{NULL, NULL},
};

static const struct dict_entry actions[] = {
	{"session.login", "登录"}, {"session.logout", "退出登录"},
	{"user.create", "新增账号"}, {"user.update", "修改账号"}, {"user.enable", "启用账号"},
	{"user.disable", "停用账号"}, {"user.grant", "授予角色"}, {"user.revoke", "撤销角色"},
	{"user.password.change", "修改密码"}, {"user.password.reset", "重置密码"},
	{"user.totp.enroll", "绑定动态口令"}, {"user.totp.reset", "重置动态口令"},
	{"user.totp.secret", "生成动态口令密钥"}, {"user.totp.seal", "加密保存动态口令密钥"},
	{"security.key.rotate", "更换审计密钥"},
	{"district.create", "新增区划"}, {"district.update", "修改区划"},
	{"department.create", "新增部门"}, {"department.update", "修改部门"},
	{"project.create", "新建项目"}, {"project.update", "修改项目"}, {"project.delete", "删除项目"},
	{"case.receive", "办件接件"}, {"case.accept", "办件受理"},
	{"case.refuse", "不予受理"}, {"case.supplement", "补正告知"}, {"case.supplement_done", "补正完成"},
	{"case.start_review", "开始办理"}, {"case.next_step", "提交下一环节"}, {"case.return", "退回"},
	{"case.transfer", "转办"}, {"case.special_start", "特别程序开始"}, {"case.special_end", "特别程序结束"},
	{"case.approve", "准予许可"}, {"case.approve_tolerance", "容缺通过"}, {"case.deny", "不予许可"},
	{"case.withdraw", "撤回"}, {"case.revoke", "撤销"}, {"case.materials_received", "容缺材料收齐"},
	{"case.stage_complete", "阶段办结"}, {"case.materials", "收件材料登记"}, {"case.file_upload", "上传附件"},
	{"user.unlock", "解锁账号"},
	{"catalog.import", "导入事项目录"}, {"catalog.item.version", "事项新版本"},
	{"catalog.flow.version", "流程新版本"},
	{"calendar.import", "导入工作日历"},
	{"stats.lights", "刷新预警灯"}, {"stats.rebuild", "重建统计"},
	{"ops.inspect", "巡检"}, {"ops.backup", "备份"}, {"ops.backup.verify", "校验备份"},
	{"ops.drill", "恢复演练"}, {"ops.restore", "恢复数据库"}, {"ops.cleanup", "日志清理"},
	{"ops.report", "生成巡检报告"}, {"paperwork.report", "生成运维报告"}, {"business.report", "生成营商环境报告"},
	{"audit.read", "查看审计日志"}, {"audit.verify", "校验审计链"},
	{"repair.propose", "提出数据修复"}, {"repair.approve", "批准数据修复"}, {"repair.reject", "驳回数据修复"},
	{"repair.apply", "执行数据修复"}, {"repair.undo", "撤销数据修复"},
	{"import.projects", "导入项目"}, {"import.spgl", "导入历史数据"},
	{"system.init", "系统初始化"}, {"system.start", "服务启动"}, {"demo.import", "导入演示数据"},
	{NULL, NULL},
};

static const struct dict_entry outcomes[] = {
	{"success", "成功"}, {"failure", "失败"}, {"denied", "拒绝"}, {NULL, NULL},
};

const struct dict audit_dicts[] = {
	{"audit.action", actions},
	{"audit.action_group", groups},
	{"audit.outcome", outcomes},
	{NULL, NULL},
};
