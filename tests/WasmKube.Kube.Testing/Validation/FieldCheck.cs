namespace WasmKube.Kube.Testing.Validation;

/// <summary>
/// The fieldValidation query parameter (Strict, Warn, Ignore; Warn when absent): what to do about fields a custom
/// resource's schema does not know, which are pruned in every mode.
/// </summary>
internal sealed class FieldCheck(string mode)
{
    public static FieldCheck Ignore { get; } = new("Ignore");

    public string Mode { get; } = mode is "Strict" or "Ignore" ? mode : "Warn";

    /// <summary>Warnings for the response's Warning headers (Warn mode).</summary>
    public List<string> Warnings { get; } = [];
}
