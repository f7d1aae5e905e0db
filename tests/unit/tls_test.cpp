#include <lxd/error.hpp>
#include <lxd/tls.hpp>

#include <gtest/gtest.h>

TEST(Tls, GeneratedCertificateHasAStableFingerprint) {
    auto pair = lxd::generate_client_certificate("tester@host");
    EXPECT_NE(pair.cert_pem.find("-----BEGIN CERTIFICATE-----"), std::string::npos);
    EXPECT_NE(pair.key_pem.find("PRIVATE KEY-----"), std::string::npos);
    auto fp = lxd::certificate_fingerprint(pair.cert_pem);
    EXPECT_EQ(fp.size(), 64u);
    EXPECT_EQ(fp, lxd::certificate_fingerprint(pair.cert_pem));
    EXPECT_NE(fp, lxd::certificate_fingerprint(lxd::generate_client_certificate("other").cert_pem));
}

TEST(Tls, FingerprintOfGarbageIsInvalidArgument) {
    try {
        lxd::certificate_fingerprint("not a certificate");
        FAIL();
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::invalid_argument);
    }
}
