package io.featureingest.online.redis;

import io.featureingest.spec.ConfigErrors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** An SSL socket factory that trusts exactly the CA certificates of a PEM file. */
final class TlsTrust {
  private TlsTrust() {}

  static SSLSocketFactory socketFactory(String pemFile) {
    try (InputStream in = Files.newInputStream(Path.of(pemFile))) {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw ConfigErrors.caFileEmpty(pemFile);
      }
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        trust.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException e) {
      throw ConfigErrors.caFileUnreadable(pemFile, e);
    } catch (GeneralSecurityException e) {
      throw ConfigErrors.caFileNotPem(pemFile, e);
    }
  }
}
