using Forecaster.Worker.Ingest;

namespace Forecaster.Worker.Tests.Ingest;

public class SeriesIdParserTests
{
    [Fact]
    public void Parses_what_the_builder_writes_including_escapes()
    {
        var (metric, labels) = SeriesIdParser.Parse("http_requests{az=\"b\",path=\"/a\\\"q\\\\\",service=\"x,y\"}");

        Assert.Equal("http_requests", metric);
        Assert.Equal([new("az", "b"), new("path", "/a\"q\\"), new("service", "x,y")], labels);
    }

    [Fact]
    public void A_bare_name_has_no_labels_and_garbage_is_refused()
    {
        Assert.Equal(("cpu", 0), (SeriesIdParser.Parse("cpu").Metric, SeriesIdParser.Parse("cpu").Labels.Count));
        Assert.Throws<FormatException>(() => SeriesIdParser.Parse("cpu{a=\"b\""));
        Assert.Throws<FormatException>(() => SeriesIdParser.Parse("{a=\"b\"}"));
        Assert.Throws<FormatException>(() => SeriesIdParser.Parse("cpu{a}"));
    }
}
