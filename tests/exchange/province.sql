-- A small province: validates the rows the city uploaded (SJSCZT = 0) with
-- the checks of spgl.md §4 and answers SJSCZT = 3 (入库成功) or 2 (校验失败)
-- with the reason in SBYY, table by table in upload order, so a child row
-- is checked against the parents accepted in the same run.
--   psql "$CONNINFO" -v ON_ERROR_STOP=1 -q -f tests/exchange/province.sql
-- Works on any front DB whose columns carry the SPGL names, whatever their
-- types (every comparison goes through text). Only the province updates.


-- A key of a parent is "known" when a valid row with it was accepted.
-- 流程
UPDATE spgl_dfxmsplcxxb t SET sjsczt = CASE WHEN v.reason IS NULL THEN 3 ELSE 2 END, sbyy = v.reason
FROM (SELECT lsh, CASE
	WHEN sjyxbs::text::int = 0 AND sjwxyy IS NULL THEN '数据无效原因不能为空'
	WHEN sjyxbs::text::int = 0 THEN NULL
	WHEN splcbm IS NULL OR splcmc IS NULL OR splcbbh IS NULL THEN '数据不完整'
	WHEN splclx::text::int NOT BETWEEN 1 AND 10 THEN 'SPLCLX的值不在代码项之中！'
	END AS reason FROM spgl_dfxmsplcxxb WHERE sjsczt::text = '0') v WHERE t.lsh = v.lsh;

-- 阶段
UPDATE spgl_dfxmsplcjdxxb t SET sjsczt = CASE WHEN v.reason IS NULL THEN 3 ELSE 2 END, sbyy = v.reason
FROM (SELECT s.lsh, CASE
	WHEN s.sjyxbs::text::int = 0 THEN CASE WHEN s.sjwxyy IS NULL THEN '数据无效原因不能为空' END
	WHEN NOT EXISTS (SELECT 1 FROM spgl_dfxmsplcxxb f WHERE f.splcbm = s.splcbm
		AND f.splcbbh::text::numeric = s.splcbbh::text::numeric AND f.sjsczt::text = '3' AND f.sjyxbs::text::int = 1)
		THEN '阶段的审批流程在已同步的审批流程信息表中无对应，请同步审批流程信息！'
	WHEN s.lcbsxlx::text::int NOT IN (1, 2) THEN 'LCBSXLX的值不在代码项之中！'
	WHEN s.spjdxh::text::int = 5 AND s.spjdsx::text::int <> 0 THEN '并行推进阶段时限应为0'
	WHEN s.spjdxh::text::int <> 5 AND s.spjdsx::text::int NOT BETWEEN 1 AND 50 THEN '阶段时限应为1-50个工作日'
	END AS reason FROM spgl_dfxmsplcjdxxb s WHERE s.sjsczt::text = '0') v WHERE t.lsh = v.lsh;

-- 阶段事项
UPDATE spgl_dfxmsplcjdsxxxb t SET sjsczt = CASE WHEN v.reason IS NULL THEN 3 ELSE 2 END, sbyy = v.reason
FROM (SELECT i.lsh, CASE
	WHEN i.sjyxbs::text::int = 0 THEN CASE WHEN i.sjwxyy IS NULL THEN '数据无效原因不能为空' END
	WHEN NOT EXISTS (SELECT 1 FROM spgl_dfxmsplcjdxxb s WHERE s.splcbm = i.splcbm
		AND s.splcbbh::text::numeric = i.splcbbh::text::numeric AND s.spjdxh::text::int = i.spjdxh::text::int
		AND s.sjsczt::text = '3' AND s.sjyxbs::text::int = 1)
		THEN '事项所在阶段在已同步的审批流程阶段信息表中无对应，请同步审批流程信息！'
	WHEN i.sfsxgzcnz::text::int NOT IN (0, 1) THEN 'SFSXGZCNZ的值不在代码项之中！'
	WHEN i.sflcbsx::text::int NOT IN (0, 1) THEN 'SFLCBSX的值不在代码项之中！'
	WHEN i.spsxbm IS NULL OR i.spsxmc IS NULL OR i.spbmbm IS NULL THEN '数据不完整'
	END AS reason FROM spgl_dfxmsplcjdsxxxb i WHERE i.sjsczt::text = '0') v WHERE t.lsh = v.lsh;

-- 项目
UPDATE spgl_xmjbxxb t SET sjsczt = CASE WHEN v.reason IS NULL THEN 3 ELSE 2 END, sbyy = v.reason
FROM (SELECT p.lsh, CASE
	WHEN p.sjyxbs::text::int = 0 THEN CASE WHEN p.sjwxyy IS NULL THEN '数据无效原因不能为空' END
	WHEN p.jsdd IS NULL OR p.ydmj IS NULL OR p.xmdm IS NULL OR p.gcdm IS NULL THEN '数据不完整'
	WHEN p.nkgsj::text::timestamp >= p.njcsj::text::timestamp THEN 'NKGSJ时间要早于NJCSJ时间'
	WHEN p.splclx::text::int NOT BETWEEN 1 AND 10 THEN 'SPLCLX的值不在代码项之中！'
	WHEN p.xmsfwqbj::text::int NOT IN (0, 1) THEN 'XMSFWQBJ的值不在代码项之中！'
	WHEN p.xmsfwqbj::text::int = 1 AND p.xmwqbjsj IS NULL THEN '数据不完整：XMWQBJSJ'
	WHEN NOT EXISTS (SELECT 1 FROM spgl_dfxmsplcxxb f WHERE f.splcbm = p.splcbm
		AND f.splcbbh::text::numeric = p.splcbbh::text::numeric AND f.sjsczt::text = '3')
		THEN '项目的审批流程在已同步的审批流程信息表中无对应，请同步审批流程信息！'
	END AS reason FROM spgl_xmjbxxb p WHERE p.sjsczt::text = '0') v WHERE t.lsh = v.lsh;

-- 单位
UPDATE spgl_xmdwxxb t SET sjsczt = CASE WHEN v.reason IS NULL THEN 3 ELSE 2 END, sbyy = v.reason
FROM (SELECT u.lsh, CASE
	WHEN u.sjyxbs::text::int = 0 THEN CASE WHEN u.sjwxyy IS NULL THEN '数据无效原因不能为空' END
	WHEN NOT EXISTS (SELECT 1 FROM spgl_xmjbxxb p WHERE p.gcdm = u.gcdm AND p.sjsczt::text = '3'
		AND p.sjyxbs::text::int = 1) THEN '单位工程代码在项目基本信息表无对应项目或对应的项目校验失败！'
	WHEN u.dwlx::text::int NOT BETWEEN 1 AND 7 THEN 'DWLX的值不在代码项之中！'
	END AS reason FROM spgl_xmdwxxb u WHERE u.sjsczt::text = '0') v WHERE t.lsh = v.lsh;

-- 办件
UPDATE spgl_xmspsxblxxb t SET sjsczt = CASE WHEN v.reason IS NULL THEN 3 ELSE 2 END, sbyy = v.reason
FROM (SELECT c.lsh, CASE
	WHEN c.sjyxbs::text::int = 0 THEN CASE WHEN c.sjwxyy IS NULL THEN '数据无效原因不能为空' END
	WHEN NOT EXISTS (SELECT 1 FROM spgl_xmjbxxb p WHERE p.gcdm = c.gcdm AND p.sjsczt::text = '3'
		AND p.sjyxbs::text::int = 1) THEN '办件工程代码在项目基本信息表无对应项目或对应的项目校验失败！'
	WHEN NOT EXISTS (SELECT 1 FROM spgl_dfxmsplcjdsxxxb i WHERE i.spsxbm = c.spsxbm
		AND i.spsxbbh::text::numeric = c.spsxbbh::text::numeric AND i.splcbm = c.splcbm
		AND i.splcbbh::text::numeric = c.splcbbh::text::numeric AND i.sjsczt::text = '3')
		THEN '事项版本在已同步的审批流程阶段事项信息表中无对应，请同步审批流程信息！'
	WHEN c.slfs::text::int NOT IN (1, 2, 3, 4) THEN 'SLFS的值不在代码项之中！'
	END AS reason FROM spgl_xmspsxblxxb c WHERE c.sjsczt::text = '0') v WHERE t.lsh = v.lsh;

-- 办理详细, 特别程序, 批复文件: the 办件 must be known
UPDATE spgl_xmspsxblxxxxb t SET sjsczt = CASE WHEN v.reason IS NULL THEN 3 ELSE 2 END, sbyy = v.reason
FROM (SELECT d.lsh, CASE
	WHEN d.sjyxbs::text::int = 0 THEN CASE WHEN d.sjwxyy IS NULL THEN '数据无效原因不能为空' END
	WHEN NOT EXISTS (SELECT 1 FROM spgl_xmspsxblxxb c WHERE c.spsxslbm = d.spsxslbm AND c.sjsczt::text = '3'
		AND c.sjyxbs::text::int = 1) THEN '审批事项实例编码在项目审批事项办理信息表中无对应或对应的事项办理信息校验失败！'
	WHEN d.blzt::text::int NOT BETWEEN 1 AND 15 THEN 'BLZT的值不在代码项之中！'
	WHEN d.blsj IS NULL THEN '数据不完整：BLSJ'
	END AS reason FROM spgl_xmspsxblxxxxb d WHERE d.sjsczt::text = '0') v WHERE t.lsh = v.lsh;

UPDATE spgl_xmspsxbltbcxxxb t SET sjsczt = CASE WHEN v.reason IS NULL THEN 3 ELSE 2 END, sbyy = v.reason
FROM (SELECT d.lsh, CASE
	WHEN d.sjyxbs::text::int = 0 THEN CASE WHEN d.sjwxyy IS NULL THEN '数据无效原因不能为空' END
	WHEN NOT EXISTS (SELECT 1 FROM spgl_xmspsxblxxb c WHERE c.spsxslbm = d.spsxslbm AND c.sjsczt::text = '3'
		AND c.sjyxbs::text::int = 1) THEN '审批事项实例编码在项目审批事项办理信息表中无对应或对应的事项办理信息校验失败！'
	WHEN d.tbcx::text::int NOT IN (1, 2) THEN 'TBCX的值不在代码项之中！'
	WHEN d.tbcxsxlx::text::int NOT IN (1, 2) THEN 'TBCXSXLX的值不在代码项之中！'
	END AS reason FROM spgl_xmspsxbltbcxxxb d WHERE d.sjsczt::text = '0') v WHERE t.lsh = v.lsh;

UPDATE spgl_xmspsxpfwjxxb t SET sjsczt = CASE WHEN v.reason IS NULL THEN 3 ELSE 2 END, sbyy = v.reason
FROM (SELECT d.lsh, CASE
	WHEN d.sjyxbs::text::int = 0 THEN CASE WHEN d.sjwxyy IS NULL THEN '数据无效原因不能为空' END
	WHEN NOT EXISTS (SELECT 1 FROM spgl_xmspsxblxxb c WHERE c.spsxslbm = d.spsxslbm AND c.sjsczt::text = '3'
		AND c.sjyxbs::text::int = 1) THEN '审批事项实例编码在项目审批事项办理信息表中无对应或对应的事项办理信息校验失败！'
	WHEN d.pfrq IS NULL OR d.pfwh IS NULL OR d.pfwjbt IS NULL THEN '数据不完整：PFRQ/PFWH/PFWJBT'
	END AS reason FROM spgl_xmspsxpfwjxxb d WHERE d.sjsczt::text = '0') v WHERE t.lsh = v.lsh;

-- 附件: the 2019 table or the 3.0 one, whichever the front DB has
SELECT to_regclass('spgl_xmqtfjxxb') IS NOT NULL AS has2019, to_regclass('spgl_xmsqcljqtfjxxb') IS NOT NULL AS has30
\gset
\if :has2019
UPDATE spgl_xmqtfjxxb t SET sjsczt = CASE WHEN v.reason IS NULL THEN 3 ELSE 2 END, sbyy = v.reason
FROM (SELECT d.lsh, CASE
	WHEN d.sjyxbs::text::int = 0 THEN CASE WHEN d.sjwxyy IS NULL THEN '数据无效原因不能为空' END
	WHEN NOT EXISTS (SELECT 1 FROM spgl_xmspsxblxxb c WHERE c.spsxslbm = d.spsxslbm AND c.sjsczt::text = '3')
		THEN '审批事项实例编码在项目审批事项办理信息表中无对应或对应的事项办理信息校验失败！'
	WHEN d.fjid IS NULL OR d.fjmc IS NULL THEN '数据不完整：FJID/FJMC'
	END AS reason FROM spgl_xmqtfjxxb d WHERE d.sjsczt::text = '0') v WHERE t.lsh = v.lsh;
\endif
\if :has30
UPDATE spgl_xmsqcljqtfjxxb t SET sjsczt = CASE WHEN v.reason IS NULL THEN 3 ELSE 2 END, sbyy = v.reason
FROM (SELECT d.lsh, CASE
	WHEN d.sjyxbs::text::int = 0 THEN CASE WHEN d.sjwxyy IS NULL THEN '数据无效原因不能为空' END
	WHEN NOT EXISTS (SELECT 1 FROM spgl_xmspsxblxxb c WHERE c.spsxslbm = d.spsxslbm AND c.sjsczt::text = '3')
		THEN '审批事项实例编码在项目审批事项办理信息表中无对应或对应的事项办理信息校验失败！'
	WHEN d.clid IS NULL OR d.clmc IS NULL THEN '数据不完整：CLID/CLMC'
	END AS reason FROM spgl_xmsqcljqtfjxxb d WHERE d.sjsczt::text = '0') v WHERE t.lsh = v.lsh;
\endif
