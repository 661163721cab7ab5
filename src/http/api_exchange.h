/*
** api_exchange.h: the exchange's /metrics lines, registered by `serve` as a
** metrics hook (app->hooks): gonggai_exchange_rows{table,state}, read from
** the database at each scrape while [exchange] target is set.
*/
#ifndef GG_API_EXCHANGE_H
#define GG_API_EXCHANGE_H

#include "http/app.h"
#include "http/http.h"

void api_exchange_metrics(struct app *app, struct buf *out);

#endif
