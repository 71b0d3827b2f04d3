#include "ccurl.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[512];
static int opened = -1;

static int (*p_global_init)(long);
static PKCurl *(*p_easy_init)(void);
static void (*p_easy_cleanup)(PKCurl *);
static int (*p_easy_setopt)(PKCurl *, int, ...);
static int (*p_easy_perform)(PKCurl *);
static int (*p_easy_getinfo)(PKCurl *, int, ...);
static const char *(*p_easy_strerror)(int);
static void *(*p_slist_append)(void *, const char *);
static void (*p_slist_free_all)(void *);

// libcurl's names per platform: its sonames on Linux (OpenSSL and GnuTLS builds), the system's dylib on Darwin.
#if defined(__APPLE__)
static const char *curl_names[] = {"libcurl.4.dylib", "/usr/lib/libcurl.4.dylib", "libcurl.dylib"};
static const char *curl_install_hint = "macOS ships it in /usr/lib; Homebrew: brew install curl";
#elif defined(__linux__)
static const char *curl_names[] = {"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so"};
static const char *curl_install_hint = "Debian and Ubuntu: apt-get install libcurl4";
#else
static const char *curl_names[] = {"libcurl.so.4", "libcurl.so"};
static const char *curl_install_hint = "install libcurl";
#endif

static void open_once(void) {
    void *lib = NULL;
    for (size_t i = 0; i < sizeof curl_names / sizeof *curl_names && !lib; i++) lib = dlopen(curl_names[i], RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        snprintf(failure, sizeof failure, "URL inputs need libcurl (%s): %s", curl_install_hint, dlerror());
        return;
    }
#define LOAD(var, name) if (!(*(void **)&var = dlsym(lib, name))) { snprintf(failure, sizeof failure, "libcurl lacks %s", name); return; }
    LOAD(p_global_init, "curl_global_init")
    LOAD(p_easy_init, "curl_easy_init")
    LOAD(p_easy_cleanup, "curl_easy_cleanup")
    LOAD(p_easy_setopt, "curl_easy_setopt")
    LOAD(p_easy_perform, "curl_easy_perform")
    LOAD(p_easy_getinfo, "curl_easy_getinfo")
    LOAD(p_easy_strerror, "curl_easy_strerror")
    LOAD(p_slist_append, "curl_slist_append")
    LOAD(p_slist_free_all, "curl_slist_free_all")
#undef LOAD
    if (p_global_init(3 /* CURL_GLOBAL_ALL */) != 0) {
        snprintf(failure, sizeof failure, "libcurl did not initialise");
        return;
    }
    opened = 0;
}

int pk_curl_open(char *why, size_t size) {
    pthread_once(&once, open_once);
    if (opened != 0 && why && size) snprintf(why, size, "%s", failure);
    return opened;
}

PKCurl *pk_curl_easy_init(void) { return p_easy_init(); }
void pk_curl_easy_cleanup(PKCurl *handle) { p_easy_cleanup(handle); }
int pk_curl_setopt_long(PKCurl *handle, int option, long value) { return p_easy_setopt(handle, option, value); }
int pk_curl_setopt_string(PKCurl *handle, int option, const char *value) { return p_easy_setopt(handle, option, value); }
int pk_curl_setopt_pointer(PKCurl *handle, int option, void *value) { return p_easy_setopt(handle, option, value); }
int pk_curl_setopt_callback(PKCurl *handle, int option, pk_curl_data_callback value) { return p_easy_setopt(handle, option, value); }
int pk_curl_perform(PKCurl *handle) { return p_easy_perform(handle); }
int pk_curl_getinfo_long(PKCurl *handle, int info, long *value) { return p_easy_getinfo(handle, info, value); }
int pk_curl_getinfo_string(PKCurl *handle, int info, const char **value) { return p_easy_getinfo(handle, info, value); }
const char *pk_curl_strerror(int code) { return p_easy_strerror(code); }
void *pk_curl_slist_append(void *list, const char *line) { return p_slist_append(list, line); }
void pk_curl_slist_free(void *list) { p_slist_free_all(list); }
