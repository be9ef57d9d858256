package org.jvs.keepalived.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jvs.check.CheckCommon;
import org.jvs.check.HttpGetSpec;
import org.jvs.check.UrlSpec;

/** HTTP_GET and SSL_GET with their url blocks (keepalived check/check_http.c). */
final class HttpCheckParser {
    private static final int STATUS_MIN = 100;
    private static final int STATUS_MAX = 599;
    private static final int MD5_HEX_CHARS = 32;

    private HttpCheckParser() {
    }

    /**
     * @param inheritedVirtualhost the real server's virtualhost, else the virtual server's, "" for none
     * @return the checker, or null when it has no url (keepalived drops it too)
     */
    static HttpGetSpec parse(ConfigNode checker, CheckCommon common, String inheritedVirtualhost, Warnings warnings)
            throws ConfigException {
        String virtualhost = inheritedVirtualhost;
        List<UrlSpec> urls = new ArrayList<>();
        for (ConfigNode node : checker.children()) {
            switch (node.keyword()) {
                case "virtualhost" -> virtualhost = Values.word(node, 1, "a host name");
                case "url" -> urls.add(url(node, warnings));
                case "http_protocol", "enable_sni", "fast_recovery" -> warnings.notImplemented(node.where(),
                        node.keyword());
                default -> {
                }
            }
        }
        if (urls.isEmpty()) {
            warnings.each(checker.where(), checker.keyword(), checker.keyword()
                    + " has no url; checker ignored, as keepalived ignores it");
            return null;
        }
        return new HttpGetSpec(common, checker.keyword().equals("SSL_GET"), virtualhost, List.copyOf(urls));
    }

    private static UrlSpec url(ConfigNode url, Warnings warnings) throws ConfigException {
        String path = null;
        String digest = "";
        List<UrlSpec.StatusRange> codes = new ArrayList<>();
        String virtualhost = "";
        for (ConfigNode node : url.children()) {
            Keywords.requireKnown(node, Keywords.URL, "url");
            switch (node.keyword()) {
                case "path" -> path = Values.word(node, 1, "a URL path such as /index.html");
                case "digest" -> digest = digest(node);
                case "status_code" -> statusCodes(node, codes);
                case "virtualhost" -> virtualhost = Values.word(node, 1, "a host name");
                default -> warnings.notImplemented(node.where(), node.keyword());
            }
        }
        if (path == null) {
            throw new ConfigException(url.where(), "url block without path; expected 'path /some/page'");
        }
        return new UrlSpec(path, digest, List.copyOf(codes), virtualhost);
    }

    private static String digest(ConfigNode node) throws ConfigException {
        String expected = "32 hex digits (the MD5 of the page)";
        String d = Values.word(node, 1, expected);
        if (d.length() != MD5_HEX_CHARS || !d.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw Values.bad(node, d, expected);
        }
        return d.toLowerCase(Locale.ROOT);
    }

    /** "status_code 200 301-303": codes and ranges, each within 100..599. */
    private static void statusCodes(ConfigNode node, List<UrlSpec.StatusRange> out) throws ConfigException {
        String expected = "HTTP status codes or ranges such as 200 or 200-299, within " + STATUS_MIN + ".."
                + STATUS_MAX;
        Values.word(node, 1, expected);
        for (String token : node.words().subList(1, node.size())) {
            int dash = token.indexOf('-');
            long from = Values.parseUnsigned(dash < 0 ? token : token.substring(0, dash));
            long to = dash < 0 ? from : Values.parseUnsigned(token.substring(dash + 1));
            if (from < STATUS_MIN || to > STATUS_MAX || from > to) {
                throw Values.bad(node, token, expected);
            }
            out.add(new UrlSpec.StatusRange((int) from, (int) to));
        }
    }
}
