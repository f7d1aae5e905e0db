#include <lxd/tls.hpp>

#include <lxd/error.hpp>

#include <ctime>
#include <fstream>
#include <memory>
#include <sstream>

#include <pwd.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "protocol/errors.hpp"
#include "protocol/escape.hpp"

namespace lxd {

namespace {
template <class T, void (*F)(T*)>
struct deleter { void operator()(T* p) const { F(p); } };
using bio_ptr = std::unique_ptr<BIO, deleter<BIO, BIO_free_all>>;
using x509_ptr = std::unique_ptr<X509, deleter<X509, X509_free>>;
using pkey_ptr = std::unique_ptr<EVP_PKEY, deleter<EVP_PKEY, EVP_PKEY_free>>;

using protocol::fail;

std::string bio_string(BIO* b) {
    char* data = nullptr;
    long n = BIO_get_mem_data(b, &data);
    return std::string(data, static_cast<std::size_t>(n));
}

std::string default_common_name() {
    std::string user = "root";
    if (auto* pw = getpwuid(geteuid())) user = pw->pw_name;
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    return user + "@" + host;
}

void add_ext(X509* cert, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext) fail(errc::server_error, "cannot build certificate extension");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}
}  // namespace

std::string read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(errc::invalid_argument, "cannot read " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

tls_options tls_options::from_files(const std::string& cert_file, const std::string& key_file) {
    tls_options t;
    t.client_cert_pem = read_text_file(cert_file);
    t.client_key_pem = read_text_file(key_file);
    return t;
}

std::string certificate_fingerprint(std::string_view cert_pem) {
    bio_ptr bio(BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size())));
    x509_ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) fail(errc::invalid_argument, "not a PEM certificate");
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    X509_digest(cert.get(), EVP_sha256(), md, &len);
    return protocol::hex_lower(md, len);
}

namespace {
std::string rfc3339(const ASN1_TIME* t) {
    std::tm tm{};
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return {};
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}
}  // namespace

certificate_details describe_certificate(std::string_view cert_pem) {
    bio_ptr bio(BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size())));
    x509_ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) fail(errc::invalid_argument, "not a PEM certificate");
    certificate_details d;
    char cn[256] = {};
    int n = X509_NAME_get_text_by_NID(X509_get_subject_name(cert.get()), NID_commonName, cn, sizeof cn);
    if (n > 0) d.common_name.assign(cn, static_cast<std::size_t>(n));
    d.not_before = rfc3339(X509_get0_notBefore(cert.get()));
    d.not_after = rfc3339(X509_get0_notAfter(cert.get()));
    return d;
}

certificate_pair generate_client_certificate(std::string_view common_name) {
    pkey_ptr key(EVP_EC_gen("P-384"));
    if (!key) fail(errc::server_error, "cannot generate an ECDSA P-384 key");
    x509_ptr cert(X509_new());
    X509_set_version(cert.get(), 2);
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f;
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60L * 60 * 24);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * 3650);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    std::string cn = common_name.empty() ? default_common_name() : std::string(common_name);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("linuxcontainers.org"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    add_ext(cert.get(), NID_basic_constraints, "critical,CA:FALSE");
    add_ext(cert.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment");
    add_ext(cert.get(), NID_ext_key_usage, "clientAuth");
    if (!X509_sign(cert.get(), key.get(), EVP_sha384())) fail(errc::server_error, "cannot sign the certificate");

    certificate_pair out;
    bio_ptr cb(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(cb.get(), cert.get());
    out.cert_pem = bio_string(cb.get());
    bio_ptr kb(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(kb.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    out.key_pem = bio_string(kb.get());
    return out;
}

}  // namespace lxd
