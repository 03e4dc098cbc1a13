namespace Forecaster.Worker.Profiles;

/// <summary>
/// A compiled glob over a name or a label value: <c>*</c> any run of characters (also none), <c>?</c> exactly one,
/// <c>[abc]</c>, <c>[a-z]</c> and <c>[!a-z]</c> one character of a class (or not of it), <c>\</c> takes the next
/// character literally; everything else matches itself, case-sensitively. Matching allocates nothing.
/// </summary>
internal sealed class Glob
{
    private readonly Token[] _tokens;
    private readonly char[] _ranges;

    private Glob(string pattern, Token[] tokens, char[] ranges)
    {
        Pattern = pattern;
        _tokens = tokens;
        _ranges = ranges;
    }

    /// <summary>The text the glob was compiled from.</summary>
    public string Pattern { get; }

    /// <summary>Matches everything.</summary>
    public static Glob Any { get; } = new("*", [new Token(Kind.Star, '\0', 0, 0, false)], []);

    /// <summary>Compiles <paramref name="pattern"/>; false with the reason (an unclosed class, an empty class, a trailing backslash).</summary>
    public static bool TryCompile(string pattern, out Glob glob, out string problem)
    {
        glob = Any;
        problem = "";
        var tokens = new List<Token>();
        var ranges = new List<char>();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*':
                    if (tokens.Count == 0 || tokens[^1].Kind != Kind.Star)
                    {
                        tokens.Add(new Token(Kind.Star, c, 0, 0, false));
                    }

                    break;
                case '?':
                    tokens.Add(new Token(Kind.One, c, 0, 0, false));
                    break;
                case '\\':
                    if (++i == pattern.Length)
                    {
                        problem = $"'{pattern}' ends in a backslash";
                        return false;
                    }

                    tokens.Add(new Token(Kind.Literal, pattern[i], 0, 0, false));
                    break;
                case '[':
                    if (!TryClass(pattern, ref i, ranges, out var token, out problem))
                    {
                        return false;
                    }

                    tokens.Add(token);
                    break;
                default:
                    tokens.Add(new Token(Kind.Literal, c, 0, 0, false));
                    break;
            }
        }

        glob = new Glob(pattern, [.. tokens], [.. ranges]);
        return true;
    }

    /// <summary>True when the whole of <paramref name="text"/> matches.</summary>
    public bool IsMatch(ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < _tokens.Length && _tokens[p].Kind == Kind.Star)
            {
                starP = p++;
                starT = t;
            }
            else if (p < _tokens.Length && Matches(_tokens[p], text[t]))
            {
                p++;
                t++;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }

        while (p < _tokens.Length && _tokens[p].Kind == Kind.Star)
        {
            p++;
        }

        return p == _tokens.Length;
    }

    public override string ToString() => Pattern;

    private bool Matches(Token token, char c)
    {
        switch (token.Kind)
        {
            case Kind.Literal:
                return c == token.Char;
            case Kind.One:
                return true;
            default:
                var inClass = false;
                for (var r = token.RangeStart; r < token.RangeStart + token.RangeLength; r += 2)
                {
                    inClass |= c >= _ranges[r] && c <= _ranges[r + 1];
                }

                return inClass != token.Negated;
        }
    }

    /// <summary>Reads the class that opens at <paramref name="i"/> into pairs of (low, high) in <paramref name="ranges"/>; leaves <paramref name="i"/> on its ']'.</summary>
    private static bool TryClass(string pattern, ref int i, List<char> ranges, out Token token, out string problem)
    {
        token = default;
        problem = "";
        var start = ranges.Count;
        var j = i + 1;
        var negated = j < pattern.Length && pattern[j] == '!';
        if (negated)
        {
            j++;
        }

        for (; j < pattern.Length && (pattern[j] != ']' || ranges.Count == start); j++)
        {
            var low = pattern[j] == '\\' && j + 1 < pattern.Length ? pattern[++j] : pattern[j];
            var high = low;
            if (j + 2 < pattern.Length && pattern[j + 1] == '-' && pattern[j + 2] != ']')
            {
                high = pattern[j + 2];
                j += 2;
                if (high < low)
                {
                    problem = $"'{pattern}' has the reversed range {low}-{high}";
                    return false;
                }
            }

            ranges.Add(low);
            ranges.Add(high);
        }

        if (j >= pattern.Length)
        {
            problem = $"'{pattern}' has an unclosed [";
            return false;
        }

        token = new Token(Kind.Class, '\0', start, ranges.Count - start, negated);
        i = j;
        return true;
    }

    private enum Kind : byte
    {
        Literal,
        One,
        Star,
        Class,
    }

    private readonly record struct Token(Kind Kind, char Char, int RangeStart, int RangeLength, bool Negated);
}
