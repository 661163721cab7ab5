/*
** bare_mhd.c: the baseline of the HTTP benchmarks: libmicrohttpd answering
** every request with a fixed small JSON body, configured like gonggai's
** server (epoll internal thread pool, answer on the second callback), and
** nothing else. Usage: bare_mhd PORT THREADS; runs until SIGTERM.
*/
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	static int marker;
	static const char body[] = "{\"status\":\"ok\"}";
	if (!*con_cls) {
		*con_cls = &marker;
		return MHD_YES;
	}
	struct MHD_Response *r = MHD_create_response_from_buffer(sizeof body - 1, (void *)body,
								 MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", "application/json");
	enum MHD_Result rc = MHD_queue_response(c, 200, r);
	MHD_destroy_response(r);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bare_mhd PORT THREADS\n");
		return 2;
	}
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGTERM);
	sigaddset(&s, SIGINT);
	sigprocmask(SIG_BLOCK, &s, NULL);
	struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD, (uint16_t)atoi(argv[1]), NULL, NULL,
						on_request, NULL, MHD_OPTION_THREAD_POOL_SIZE,
						(unsigned)atoi(argv[2]), MHD_OPTION_END);
	if (!d)
		return 1;
	printf("listening\n");
	fflush(stdout);
	int sig;
	sigwait(&s, &sig);
	MHD_stop_daemon(d);
	return 0;
}
