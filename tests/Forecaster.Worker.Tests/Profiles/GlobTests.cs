using Forecaster.Testing;
using Forecaster.Worker.Profiles;

namespace Forecaster.Worker.Tests.Profiles;

public class GlobTests
{
    [Theory]
    [InlineData("http_*", "http_requests_total", true)]
    [InlineData("http_*", "grpc_requests_total", false)]
    [InlineData("*_total", "http_requests_total", true)]
    [InlineData("*req*", "http_requests_total", true)]
    [InlineData("node_?", "node_a", true)]
    [InlineData("node_?", "node_ab", false)]
    [InlineData("[a-c]pu", "bpu", true)]
    [InlineData("[a-c]pu", "dpu", false)]
    [InlineData("[!a-c]pu", "dpu", true)]
    [InlineData("[]x]", "]", true)]
    [InlineData(@"a\*b", "a*b", true)]
    [InlineData(@"a\*b", "axb", false)]
    [InlineData("*", "", true)]
    [InlineData("", "", true)]
    [InlineData("", "x", false)]
    [InlineData("a*b*c", "abbbc", true)]
    [InlineData("a*b*c", "abbbcd", false)]
    [InlineData("Prod", "prod", false)]
    public void Matches_the_whole_text(string pattern, string text, bool expected)
    {
        Assert.True(Glob.TryCompile(pattern, out var glob, out var problem), problem);

        Assert.Equal(expected, glob.IsMatch(text));
    }

    [Theory]
    [InlineData("[abc", "unclosed [")]
    [InlineData(@"abc\", "ends in a backslash")]
    [InlineData("[z-a]", "reversed range z-a")]
    public void A_bad_glob_says_why(string pattern, string reason)
    {
        Assert.False(Glob.TryCompile(pattern, out _, out var problem));

        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Matching_allocates_nothing()
    {
        Assert.True(Glob.TryCompile("*_[a-z]*_total", out var glob, out _));
        var text = "http_requests_by_code_total";
        Assert.True(glob.IsMatch(text));

        var matched = 0;
        Assert.Equal(0, Allocations.Fewest(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                matched += glob.IsMatch(text) ? 1 : 0;
            }
        }));
        Assert.Equal(5 * 1000, matched);
    }
}
