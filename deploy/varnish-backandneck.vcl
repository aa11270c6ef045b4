vcl 4.1;
# Varnish in front of the web machines (docs/production.md, "A shared cache in front"): keeps the
# pages the site marks public (Cache-Control: public, s-maxage) until the site bans them by tag.
# On the site: SHARED_CACHE_PURGE=pagecache.shared_cache.VarnishBackend and
# VARNISH_URLS=http://varnish-host:6081/ (every Varnish, comma-separated).
#   varnishd -a :6081 -f /etc/varnish/backandneck.vcl -s malloc,1G

import std;

backend default {
    # gunicorn, or the nginx of a web machine; several: use vmod_directors.
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 35s;
}

# Who may send BAN: the web machines. Nobody else can empty the cache.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.X-Purge-Tags !~ "^[A-Za-z0-9%._~ -]+$") {
            return (synth(400, "X-Purge-Tags: space-separated tags"));
        }
        # One ban for all the tags: every object whose Surrogate-Key holds one of them.
        # (The expression holds no space, so it needs no quotes, which std.ban would keep.)
        if (!std.ban("obj.http.Surrogate-Key ~ (^|\s)(" +
                regsuball(regsuball(req.http.X-Purge-Tags, "\.", "\\."), " +", "|") +
                ")(\s|$)")) {
            return (synth(400, std.ban_error()));
        }
        return (synth(200, "Banned"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # A session, a one-off message or a CSRF token: the page may be personal. Never shared.
    if (req.http.Authorization || req.http.Cookie ~ "(^|;)\s*(sessionid|csrftoken|messages)=") {
        return (pass);
    }
    # Other cookies (analytics) are nothing the site reads: everyone shares one copy.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # Only what the site marked public is kept; private pages, search results, the admin and
    # anything setting a cookie are fetched for each reader (and remembered as such a while).
    if (beresp.http.Cache-Control !~ "(^|[ ,])public([ ,]|$)" || beresp.http.Set-Cookie) {
        set beresp.ttl = 60s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # Varnish takes the time from s-maxage and the grace from stale-while-revalidate; an
    # expired copy is kept a day more to be revalidated with If-None-Match (a cheap 304).
    set beresp.keep = 1d;
}

sub vcl_deliver {
    # The tags are for Varnish (bans) and for nothing further out.
    unset resp.http.Surrogate-Key;
    unset resp.http.xkey;
    unset resp.http.X-Varnish;
    unset resp.http.Via;
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
