using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WasmKube.Kube.Testing.Envtest;

/// <summary>
/// The key material kube-apiserver needs, made fresh for each control plane: a CA, a serving certificate for
/// 127.0.0.1/localhost signed by it, a service-account RSA key pair, and a static token for an admin user.
/// </summary>
internal sealed record ControlPlaneCredentials(string CaPem, string ServingCertificatePem, string ServingKeyPem,
    string ServiceAccountPublicKeyPem, string ServiceAccountPrivateKeyPem, string Token)
{
    public const string CaFile = "ca.crt";
    public const string ServingCertificateFile = "apiserver.crt";
    public const string ServingKeyFile = "apiserver.key";
    public const string ServiceAccountPublicKeyFile = "sa.pub";
    public const string ServiceAccountPrivateKeyFile = "sa.key";
    public const string TokenFile = "token.csv";

    /// <summary>The user the token authenticates; system:masters bypasses RBAC, as envtest's admin user does.</summary>
    public const string AdminUser = "envtest-admin";

    public static ControlPlaneCredentials Create()
    {
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = DateTimeOffset.UtcNow.AddDays(7);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=wasmkube-envtest-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter);

        using var servingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var servingRequest = new CertificateRequest("CN=kube-apiserver", servingKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        servingRequest.CertificateExtensions.Add(names.Build());
        servingRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        servingRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        servingRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        servingRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var serving = servingRequest.Create(ca, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));

        // kube-apiserver signs service-account tokens with RS256 by default, so this key is RSA.
        using var serviceAccountKey = RSA.Create(2048);

        return new ControlPlaneCredentials(
            ca.ExportCertificatePem(),
            serving.ExportCertificatePem(),
            servingKey.ExportPkcs8PrivateKeyPem(),
            serviceAccountKey.ExportSubjectPublicKeyInfoPem(),
            serviceAccountKey.ExportRSAPrivateKeyPem(),
            Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant());
    }

    /// <summary>Writes every file kube-apiserver reads into <paramref name="directory"/>.</summary>
    public async Task WriteAsync(string directory, CancellationToken cancellationToken)
    {
        await WritePrivateAsync(Path.Combine(directory, CaFile), CaPem, cancellationToken);
        await WritePrivateAsync(Path.Combine(directory, ServingCertificateFile), ServingCertificatePem, cancellationToken);
        await WritePrivateAsync(Path.Combine(directory, ServingKeyFile), ServingKeyPem, cancellationToken);
        await WritePrivateAsync(Path.Combine(directory, ServiceAccountPublicKeyFile), ServiceAccountPublicKeyPem, cancellationToken);
        await WritePrivateAsync(Path.Combine(directory, ServiceAccountPrivateKeyFile), ServiceAccountPrivateKeyPem, cancellationToken);
        // Static token file: token,user,uid,"group1,group2" (kubernetes.io/docs/reference/access-authn-authz/authentication/#static-token-file).
        await WritePrivateAsync(Path.Combine(directory, TokenFile), $"{Token},{AdminUser},{AdminUser},\"system:masters\"\n", cancellationToken);
    }

    static async Task WritePrivateAsync(string path, string content, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(path, content, cancellationToken);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
