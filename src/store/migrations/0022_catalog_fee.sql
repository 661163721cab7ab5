-- 0022_catalog_fee: the official fee of an item version (issue 19, 营商环境
-- 办理建筑许可 counts the cost of a project's procedures). Copies of the
-- version document's "fee" (fen, 0 for a free item) and "fee_basis" (why:
-- the charging standard, or "依法不收费"), like the other columns of
-- catalog_items. Versions stored before this migration have neither: NULL
-- means "not recorded", never "free". Adding columns fires no UPDATE
-- trigger, so the stored versions stay as they were.

ALTER TABLE catalog_items ADD COLUMN fee INTEGER;        -- fen; NULL: not recorded
ALTER TABLE catalog_items ADD COLUMN fee_basis TEXT;     -- NULL: not recorded
