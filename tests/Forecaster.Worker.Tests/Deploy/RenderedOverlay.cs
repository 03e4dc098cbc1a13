using System.Text;
using System.Text.Json;

namespace Forecaster.Worker.Tests.Deploy;

/// <summary>
/// The manifests of one overlay as <c>kubectl kustomize</c> renders them, turned into JSON by
/// kubectl itself (<c>kubectl label --local -o json</c> with a no-op label removal, which needs no
/// cluster), so the tests need no YAML parser.
/// </summary>
internal sealed class RenderedOverlay
{
    private RenderedOverlay(string name, List<JsonElement> objects)
    {
        Overlay = name;
        Objects = objects;
    }

    public string Overlay { get; }

    public IReadOnlyList<JsonElement> Objects { get; }

    public static RenderedOverlay Render(string overlay)
    {
        var kubectl = ExternalTool.Require("kubectl", "kubectl");
        var rendered = ExternalTool.Run(kubectl, ["kustomize", RepositoryFiles.Path("deploy", "k8s", "overlays", overlay)]);
        Assert.True(rendered.ExitCode == 0, $"kubectl kustomize overlays/{overlay} failed: {rendered.Describe()}");
        return new RenderedOverlay(overlay, ToJson(kubectl, "-", rendered.Output));
    }

    /// <summary>The manifests of a YAML file in the checkout, as JSON.</summary>
    public static List<JsonElement> ReadFile(params string[] path) =>
        ToJson(ExternalTool.Require("kubectl", "kubectl"), RepositoryFiles.Path(path), null);

    private static List<JsonElement> ToJson(string kubectl, string file, string? input)
    {
        var json = ExternalTool.Run(kubectl, ["label", "--local", "-f", file, "-o", "json", "forecaster-test-noop-"], input);
        Assert.True(json.ExitCode == 0, $"kubectl could not read {file}: {json.Describe()}");
        return ReadAll(json.Output);
    }

    public JsonElement Single(string kind) => Assert.Single(Objects, o => Kind(o) == kind);

    public IEnumerable<JsonElement> All(string kind) => Objects.Where(o => Kind(o) == kind);

    public static string Kind(JsonElement o) => o.GetProperty("kind").GetString()!;

    public static string Name(JsonElement o) => o.GetProperty("metadata").GetProperty("name").GetString()!;

    /// <summary>kubectl prints one JSON object per manifest, one after the other.</summary>
    private static List<JsonElement> ReadAll(string text)
    {
        var objects = new List<JsonElement>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (Kind(root) == "List")
            {
                objects.AddRange(root.GetProperty("items").EnumerateArray().Select(i => i.Clone()));
            }
            else
            {
                objects.Add(root.Clone());
            }
        }

        return objects;
    }
}
