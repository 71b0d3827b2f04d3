#ifndef PROMKIT_CCURL_H
#define PROMKIT_CCURL_H
#include <stddef.h>

/// libcurl, opened with dlopen when the first URL is fetched: a run without URLs loads none of it (nor its
/// TLS, IDN and compression libraries), and the build needs no libcurl headers. The option and info numbers
/// are curl.h's (7.88; stable across libcurl 7.x and 8.x, as curl promises).
typedef void PKCurl;
typedef size_t (*pk_curl_data_callback)(char *data, size_t size, size_t count, void *context);

enum {
    PK_CURLOPT_WRITEDATA = 10001,
    PK_CURLOPT_URL = 10002,
    PK_CURLOPT_ERRORBUFFER = 10010,
    PK_CURLOPT_WRITEFUNCTION = 20011,
    PK_CURLOPT_USERAGENT = 10018,
    PK_CURLOPT_HTTPHEADER = 10023,
    PK_CURLOPT_HEADERDATA = 10029,
    PK_CURLOPT_FOLLOWLOCATION = 52,
    PK_CURLOPT_SSL_VERIFYPEER = 64,
    PK_CURLOPT_CAINFO = 10065,
    PK_CURLOPT_MAXREDIRS = 68,
    PK_CURLOPT_HEADERFUNCTION = 20079,
    PK_CURLOPT_SSL_VERIFYHOST = 81,
    PK_CURLOPT_BUFFERSIZE = 98,
    PK_CURLOPT_NOSIGNAL = 99,
    PK_CURLOPT_ACCEPT_ENCODING = 10102,
    PK_CURLOPT_HTTPAUTH = 107,
    PK_CURLOPT_TIMEOUT_MS = 155,
    PK_CURLOPT_USERNAME = 10173,
    PK_CURLOPT_PASSWORD = 10174,
    PK_CURLOPT_XOAUTH2_BEARER = 10220,
    PK_CURLOPT_PROTOCOLS_STR = 10318,
    PK_CURLOPT_REDIR_PROTOCOLS_STR = 10319,
};
enum {
    PK_CURLINFO_EFFECTIVE_URL = 0x100000 + 1,
    PK_CURLINFO_RESPONSE_CODE = 0x200000 + 2,
    PK_CURLINFO_CONTENT_TYPE = 0x100000 + 18,
    PK_CURLINFO_OS_ERRNO = 0x200000 + 25,
};
enum { PK_CURLAUTH_BASIC = 1, PK_CURLAUTH_BEARER = 1 << 6 };
enum { PK_CURL_ERROR_SIZE = 256 };

/// Opens libcurl and initialises it (once; later calls return the first result). 0, or -1 with why in `why`.
int pk_curl_open(char *why, size_t size);
PKCurl *pk_curl_easy_init(void);
void pk_curl_easy_cleanup(PKCurl *handle);
int pk_curl_setopt_long(PKCurl *handle, int option, long value);
int pk_curl_setopt_string(PKCurl *handle, int option, const char *value);
int pk_curl_setopt_pointer(PKCurl *handle, int option, void *value);
int pk_curl_setopt_callback(PKCurl *handle, int option, pk_curl_data_callback value);
int pk_curl_perform(PKCurl *handle);
int pk_curl_getinfo_long(PKCurl *handle, int info, long *value);
int pk_curl_getinfo_string(PKCurl *handle, int info, const char **value);
const char *pk_curl_strerror(int code);
/// A header list (curl_slist): append to NULL to start one; free with pk_curl_slist_free.
void *pk_curl_slist_append(void *list, const char *line);
void pk_curl_slist_free(void *list);

#endif
