namespace WasmKube.Kube.Config;

/// <summary>The exec section of a kubeconfig user.</summary>
public sealed record ExecCredentialCommand(
    string Command,
    IReadOnlyList<string> Args,
    IReadOnlyList<KeyValuePair<string, string>> Env,
    string ApiVersion);
