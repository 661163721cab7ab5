/*
** test_filestore.c: the content-addressed file store (base/filestore.h):
** types decided by content whatever the name says, names that are the
** SHA-256 of the bytes (the FIPS 180-2 "abc" vector), a rewrite of the same
** content kept as one file, a damaged or missing file refused on read, a
** copy between stores checked, and no store for an in-memory database.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/filestore.h"

static void test_sniff(void **state)
{
	const char *ext;
	assert_string_equal(filestore_sniff("%PDF-1.7\n", 9, "a.txt", &ext), "application/pdf");
	assert_string_equal(ext, "pdf");
	assert_string_equal(filestore_sniff("\x89PNG\r\n\x1a\n....", 12, NULL, &ext), "image/png");
	assert_string_equal(filestore_sniff("\xff\xd8\xff\xe0", 4, "x.pdf", &ext), "image/jpeg");
	assert_string_equal(filestore_sniff("GIF89a", 6, NULL, &ext), "image/gif");
	assert_string_equal(filestore_sniff("PK\x03\x04rest", 8, "合同.DOCX", &ext),
			    "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
	assert_string_equal(ext, "docx");
	assert_string_equal(filestore_sniff("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, "表.xls", &ext), "application/vnd.ms-excel");
	/* refused: a web page named .pdf, a bare ZIP, an executable, too short */
	assert_null(filestore_sniff("<html><script>", 14, "a.pdf", &ext));
	assert_null(ext);
	assert_null(filestore_sniff("PK\x03\x04rest", 8, "a.zip", &ext));
	assert_null(filestore_sniff("\x7f" "ELF\x02\x01", 6, "a.pdf", &ext));
	assert_null(filestore_sniff("%PD", 3, "a.pdf", &ext));
	assert_null(filestore_sniff("", 0, "a.pdf", &ext));
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	for (struct dirent *de; d && (de = readdir(d));)
		n += de->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static void test_put_read_copy(void **state)
{
	char tmpl[] = "/tmp/gg-test-fs-XXXXXX", dir[300], dir2[300], hex[65], hex2[65], path[400];
	struct err e;
	struct buf b;
	assert_non_null(mkdtemp(tmpl));
	err_clear(&e);
	assert_int_equal(filestore_dir(":memory:", dir, sizeof dir, &e), ERR_INVALID);
	snprintf(path, sizeof path, "%s/g.db", tmpl);
	assert_int_equal(filestore_dir(path, dir, sizeof dir, &e), 0);
	assert_string_equal(dir + strlen(tmpl), "/g.db.files");
	assert_int_equal(filestore_put(dir, "abc", 3, 1, hex, &e), 0);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(filestore_put(dir, "abc", 3, 0, hex2, &e), 0);
	assert_int_equal(count_entries(dir), 1);
	assert_int_equal(filestore_read(dir, hex, &b, &e), 0);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "abc", 3);
	buf_free(&b);
	assert_true(filestore_name_ok(hex));
	assert_false(filestore_name_ok("../etc/passwd"));
	assert_int_equal(filestore_read(dir, "../../etc/passwd", &b, &e), ERR_INVALID);

	/* a copy into another store, checked; then damage the original */
	snprintf(dir2, sizeof dir2, "%s/backup-files", tmpl);
	assert_int_equal(filestore_copy(dir, dir2, hex, &e), 0);
	assert_int_equal(filestore_read(dir2, hex, &b, &e), 0);
	buf_free(&b);
	snprintf(path, sizeof path, "%s/%s", dir, hex);
	FILE *f = fopen(path, "w");
	fputs("abd", f);
	fclose(f);
	err_clear(&e);
	assert_int_equal(filestore_read(dir, hex, &b, &e), ERR_INTERNAL);
	assert_string_equal(e.field, "sha256");
	/* the intact copy repairs it */
	assert_int_equal(filestore_copy(dir2, dir, hex, &e), 0);
	assert_int_equal(filestore_read(dir, hex, &b, &e), 0);
	buf_free(&b);
	unlink(path);
	assert_int_equal(filestore_read(dir, hex, &b, &e), ERR_NOTFOUND);

	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpl);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_put_read_copy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
