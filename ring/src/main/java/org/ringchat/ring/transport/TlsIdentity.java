package org.ringchat.ring.transport;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.ringchat.protocol.NodeAddress;

/** What a peer's verified certificate says it is: the IP addresses and the name it may claim. */
final class TlsIdentity {

    private TlsIdentity() {
    }

    /** Null when the peer's certificate names {@code host} (among its IP addresses), else why not. */
    static String mismatchOfAddress(Channel channel, NodeAddress claimed) {
        X509Certificate cert = peerCertificate(channel);
        if (cert == null) {
            return "no verified certificate";
        }
        for (String ip : ipAddresses(cert)) {
            if (sameIp(ip, claimed.host())) {
                return null;
            }
        }
        return "its certificate does not name " + claimed.host();
    }

    /** Null when the peer's certificate has {@code name} as its common name, else why not. */
    static String mismatchOfName(Channel channel, String name) {
        X509Certificate cert = peerCertificate(channel);
        if (cert == null) {
            return "no verified certificate";
        }
        String cn = commonName(cert);
        return name.equals(cn) ? null : "its certificate is for '" + cn + "', not '" + name + "'";
    }

    private static X509Certificate peerCertificate(Channel channel) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return null;
        }
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    private static List<String> ipAddresses(X509Certificate cert) {
        try {
            Collection<List<?>> names = cert.getSubjectAlternativeNames();
            if (names == null) {
                return List.of();
            }
            return names.stream().filter(n -> Integer.valueOf(7).equals(n.get(0))).map(n -> String.valueOf(n.get(1))).toList();
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static String commonName(X509Certificate cert) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (InvalidNameException e) {
            // no common name to give
        }
        return "";
    }

    /** Both literal IP addresses, compared as addresses (IPv6 has many spellings). No look-up happens. */
    private static boolean sameIp(String a, String b) {
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
