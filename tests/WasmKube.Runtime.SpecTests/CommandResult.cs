namespace WasmKube.Runtime.SpecTests;

/// <summary>
/// How one command went. <see cref="MessageMatched"/> is null unless the command expected an error text and got an
/// error of the right type; then it tells whether the engine's wording starts with the spec's (the reference
/// interpreter's rule), which is informational only.
/// </summary>
internal sealed record CommandResult(SpecCommand Command, CommandStatus Status, string? Detail = null, bool? MessageMatched = null)
{
    /// <summary>"file:line: command: detail", the form of every line the harness reports.</summary>
    public string Describe(string file) => $"{file}:{Command.Line}: {Command.Describe()}: {Detail}";
}
