using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;
using ScopeClaims.Tests.Shared;
using JsonClaimValueTypes = Microsoft.IdentityModel.JsonWebTokens.JsonClaimValueTypes;

namespace ScopeClaims.Tests.Scopes;

public class ScopeNormalizerTests
{
    private static readonly ScopeSet Expected = ScopeSet.Parse("read:a write:b");

    // The issuer-shape table (tests/Shared/IssuerShapeTable.cs): every shape in the wild.
    public static TheoryData<string, string> IssuerShapes => IssuerShapeTable.Payloads();

    [Theory]
    [MemberData(nameof(IssuerShapes))]
    public void ReadPayloadJson_EveryIssuerShape_GivesTheSameSet(string issuer, string payload)
    {
        Assert.True(Expected.Equals(ScopeNormalizer.Default.ReadPayloadJson(payload)), issuer);
    }

    [Theory]
    [MemberData(nameof(IssuerShapes))]
    public void ReadJsonWebToken_EveryIssuerShape_GivesTheSameSet(string issuer, string payload)
    {
        var token = new JsonWebToken(Unsigned(payload));

        Assert.True(Expected.Equals(ScopeNormalizer.Default.Read(token)), issuer);
    }

    [Theory]
    [MemberData(nameof(IssuerShapes))]
    public void ReadJwtSecurityToken_EveryIssuerShape_GivesTheSameSet(string issuer, string payload)
    {
        var token = new JwtSecurityTokenHandler().ReadJwtToken(Unsigned(payload));

        Assert.True(Expected.Equals(ScopeNormalizer.Default.Read(token)), issuer);
    }

    [Theory]
    [MemberData(nameof(IssuerShapes))]
    public void ReadClaims_AsDotNetProducesThem_GivesTheSameSet(string issuer, string payload)
    {
        // JsonWebToken turns an array into one claim per element and leaves a string as one claim.
        var claims = new JsonWebToken(Unsigned(payload)).Claims;

        Assert.True(Expected.Equals(ScopeNormalizer.Default.Read(claims)), issuer);
    }

    [Fact]
    public void ReadClaims_EntraMappedClaimType_IsRead()
    {
        var identity = new ClaimsIdentity(new[] { new Claim(ScopeClaimTypes.MicrosoftScope, "read:a write:b") }, "Bearer");

        Assert.Equal(Expected, ScopeNormalizer.Default.Read(new ClaimsPrincipal(identity)));
    }

    [Fact]
    public void ReadClaims_JsonArrayTypedClaim_IsRead()
    {
        var claims = new[] { new Claim("scope", """["read:a","write:b"]""", JsonClaimValueTypes.JsonArray) };

        Assert.Equal(Expected, ScopeNormalizer.Default.Read(claims));
    }

    [Fact]
    public void ReadPrincipal_UnauthenticatedIdentity_DoesNotCount()
    {
        var principal = new ClaimsPrincipal(new[]
        {
            new ClaimsIdentity(new[] { new Claim("scope", "admin") }),
            new ClaimsIdentity(new[] { new Claim("scope", "read:a write:b") }, "Bearer"),
        });

        Assert.Equal(Expected, ScopeNormalizer.Default.Read(principal));
    }

    [Fact]
    public void ReadIdentity_ReadsThatIdentity()
    {
        Assert.Equal(Expected, ScopeNormalizer.Default.Read(new ClaimsIdentity(new[] { new Claim("scp", "read:a write:b") })));
    }

    [Fact]
    public void Read_NoScopeClaim_GivesEmpty()
    {
        Assert.Same(ScopeSet.Empty, ScopeNormalizer.Default.ReadPayloadJson("""{"sub":"x"}"""));
        Assert.Same(ScopeSet.Empty, ScopeNormalizer.Default.Read(Array.Empty<Claim>()));
    }

    [Fact]
    public void Read_EmptyArray_GivesEmpty()
    {
        Assert.True(ScopeNormalizer.Default.ReadPayloadJson("""{"scope":[]}""").IsEmpty);
    }

    [Fact]
    public void Read_ScopeThatLooksLikeADate_StaysThatString()
    {
        var payload = """{"scope":["2024-01-01T00:00:00Z"]}""";

        Assert.Equal(new[] { "2024-01-01T00:00:00Z" }, ScopeNormalizer.Default.ReadPayloadJson(payload).ToArray());
        Assert.Equal(new[] { "2024-01-01T00:00:00Z" }, ScopeNormalizer.Default.Read(new JsonWebToken(Unsigned(payload))).ToArray());
        Assert.Equal(new[] { "2024-01-01T00:00:00Z" }, ScopeNormalizer.Default.Read(new JsonWebToken(Unsigned(payload)).Claims).ToArray());
    }

    public static TheoryData<string, ScopeErrorReason> HostilePayloads => new()
    {
        { """{"scope":42}""", ScopeErrorReason.InvalidShape },
        { """{"scope":true}""", ScopeErrorReason.InvalidShape },
        { """{"scope":null}""", ScopeErrorReason.InvalidShape },
        { """{"scope":{"a":"b"}}""", ScopeErrorReason.InvalidShape },
        { """{"scope":["a",["b"]]}""", ScopeErrorReason.InvalidShape },
        { """{"scope":["a",1]}""", ScopeErrorReason.InvalidShape },
        { """{"scope":["a",null]}""", ScopeErrorReason.InvalidShape },
        { """{"scope":["a",{"b":1}]}""", ScopeErrorReason.InvalidShape },
        { """{"scope":["read","write admin"]}""", ScopeErrorReason.ElementContainsSeparator },
        { """{"scope":["read",""]}""", ScopeErrorReason.Empty },
        { """{"scope":""}""", ScopeErrorReason.Empty },
        { """{"scope":"   "}""", ScopeErrorReason.Empty },
        { """{"scope":"read\"write"}""", ScopeErrorReason.InvalidCharacter },
        { """{"scope":"read\\write"}""", ScopeErrorReason.InvalidCharacter },
        { """{"scope":"read\u0000"}""", ScopeErrorReason.InvalidCharacter },
        { """{"scope":"read\twrite"}""", ScopeErrorReason.InvalidCharacter },
        { """{"scope":"read\nwrite"}""", ScopeErrorReason.InvalidCharacter },
        { """{"scope":"lesen:\u00e4"}""", ScopeErrorReason.InvalidCharacter },
        { """{"scope":["a\u00a0b"]}""", ScopeErrorReason.InvalidCharacter },
        { """{"scp":"a","scp":"b"}""", ScopeErrorReason.MalformedJson },
        { """{"scope":"a","scope":"a"}""", ScopeErrorReason.MalformedJson },
        { """{"scope":"a" """, ScopeErrorReason.MalformedJson },
        { """["a"]""", ScopeErrorReason.MalformedJson },
        { """{"scope":"a"} {}""", ScopeErrorReason.MalformedJson },
        { """{"scope":"a","scp":"b"}""", ScopeErrorReason.ConflictingClaims },
    };

    [Theory]
    [MemberData(nameof(HostilePayloads))]
    public void ReadPayloadJson_HostileShape_IsRefusedWithReason(string payload, ScopeErrorReason reason)
    {
        var ex = Assert.Throws<ScopeFormatException>(() => ScopeNormalizer.Default.ReadPayloadJson(payload));

        Assert.Equal(reason, ex.Reason);
        if (reason is not ScopeErrorReason.MalformedJson)
        {
            Assert.NotNull(ex.ClaimName);
            Assert.Contains($"'{ex.ClaimName}'", ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(17)]
    [InlineData(60)]
    [InlineData(100)]
    public void ReadPayloadJson_DeeplyNestedOtherClaim_IsLeftToTheTokenValidator(int depth)
    {
        // MaxJsonDepth bounds the scope claims; how deep an unrelated claim nests is the JWT validator's business.
        var arrays = "{\"scope\":\"a\",\"x\":" + new string('[', depth) + new string(']', depth) + "}";
        var objects = "{\"x\":" + string.Concat(Enumerable.Repeat("{\"y\":", depth)) + "1" + new string('}', depth) + ",\"scope\":\"a\"}";

        Assert.Equal(ScopeSet.Parse("a"), ScopeNormalizer.Default.ReadPayloadJson(arrays));
        Assert.Equal(ScopeSet.Parse("a"), ScopeNormalizer.Default.ReadPayloadJson(objects));
        if (depth < 63)
        {
            // Microsoft.IdentityModel itself reads a payload at most 64 deep.
            Assert.Equal(ScopeSet.Parse("a"), ScopeNormalizer.Default.Read(new JsonWebToken(Unsigned(objects))));
        }
    }

    [Fact]
    public void ReadPayloadJson_DeeplyNestedOtherClaimThatIsMalformed_IsStillRefused()
    {
        var payload = "{\"scope\":\"a\",\"x\":" + new string('[', 100) + new string(']', 99) + "}";

        Assert.Equal(ScopeErrorReason.MalformedJson, Assert.Throws<ScopeFormatException>(() => ScopeNormalizer.Default.ReadPayloadJson(payload)).Reason);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(17)]
    [InlineData(100)]
    public void Read_DeeplyNestedScopeClaim_IsRefused(int depth)
    {
        var nested = new string('[', depth) + "\"a\"" + new string(']', depth);
        var payload = "{\"scope\":" + nested + "}";

        Assert.Equal(ScopeErrorReason.InvalidShape, Assert.Throws<ScopeFormatException>(() => ScopeNormalizer.Default.ReadPayloadJson(payload)).Reason);
        Assert.Equal(ScopeErrorReason.InvalidShape, Assert.Throws<ScopeFormatException>(() => ScopeNormalizer.Default.Read(new[] { new Claim("scope", nested, JsonClaimValueTypes.JsonArray) })).Reason);
    }

    [Fact]
    public void Read_JsonArrayClaimDeeperThanMaxJsonDepth_IsRefused()
    {
        var normalizer = new ScopeNormalizer(new ScopeNormalizerOptions { MaxJsonDepth = 2 });
        var claims = new[] { new Claim("scope", "[[[\"a\"]]]", JsonClaimValueTypes.JsonArray) };

        var ex = Assert.Throws<ScopeFormatException>(() => normalizer.Read(claims));

        Assert.Equal("scope", ex.ClaimName);
    }

    // .NET compares claim types ignoring case (ClaimsIdentity.HasClaim, FindAll, RequireClaim), so a claim whose name
    // differs from a scope claim type only in case would be read as that scope claim by the consumer's own checks.
    public static TheoryData<string, string> CaseVariantPayloads => new()
    {
        { """{"SCOPE":"admin"}""", "scope" },
        { """{"Scope":["admin"]}""", "scope" },
        { """{"scope":"read:a","SCOPE":"admin"}""", "scope" },
        { """{"SCOPE":"admin","scope":"read:a"}""", "scope" },
        { """{"scope":"admin","sCoPe":"admin"}""", "scope" },
        { """{"Scope":123}""", "scope" },
        { """{"Scope":null}""", "scope" },
        { """{"Scope":{"admin":true}}""", "scope" },
        { """{"\u0053cope":"admin"}""", "scope" },
        { """{"SCP":["admin"]}""", "scp" },
        { """{"scp":"read:a","Scp":"admin"}""", "scp" },
        { """{"HTTP://SCHEMAS.MICROSOFT.COM/IDENTITY/CLAIMS/SCOPE":"admin"}""", ScopeClaimTypes.MicrosoftScope },
    };

    [Theory]
    [MemberData(nameof(CaseVariantPayloads))]
    public void Read_ClaimNamedLikeAScopeClaimButForCase_IsRefused(string payload, string scopeClaimType)
    {
        foreach (var read in new Func<ScopeSet>[]
        {
            () => ScopeNormalizer.Default.ReadPayloadJson(payload),
            () => ScopeNormalizer.Default.ReadPayloadJson(Encoding.UTF8.GetBytes(payload)),
            () => ScopeNormalizer.Default.Read(new JsonWebToken(Unsigned(payload))),
            () => ScopeNormalizer.Default.Read(new JwtSecurityTokenHandler().ReadJwtToken(Unsigned(payload))),
            () => ScopeNormalizer.Default.Read(new JsonWebToken(Unsigned(payload)).Claims),
            () => ScopeNormalizer.Default.Read(new ClaimsPrincipal(new ClaimsIdentity(new JsonWebToken(Unsigned(payload)).Claims, "Bearer"))),
        })
        {
            var ex = Assert.Throws<ScopeFormatException>(read);

            Assert.Equal(ScopeErrorReason.ConflictingClaims, ex.Reason);
            Assert.Equal(scopeClaimType, ex.ClaimName);
            Assert.Contains("only in case", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("admin", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Read_CaseVariantOfAConfiguredClaimType_IsRefused()
    {
        var options = new ScopeNormalizerOptions();
        options.ClaimTypes.Add("permissions");
        var normalizer = new ScopeNormalizer(options);

        Assert.Equal(ScopeSet.Parse("a"), normalizer.ReadPayloadJson("""{"permissions":["a"]}"""));
        Assert.Equal("permissions", Assert.Throws<ScopeFormatException>(() => normalizer.ReadPayloadJson("""{"permissions":["a"],"PERMISSIONS":["admin"]}""")).ClaimName);
        Assert.Equal("permissions", Assert.Throws<ScopeFormatException>(() => normalizer.Read(new[] { new Claim("Permissions", "admin") })).ClaimName);
    }

    [Fact]
    public void Read_CaseVariantOfAClaimTypeNotConfigured_IsNotTheNormalizersConcern()
    {
        // With only "permissions" configured, "scope" is not a scope claim to this normalizer, in any case.
        var options = new ScopeNormalizerOptions();
        options.ClaimTypes.Clear();
        options.ClaimTypes.Add("permissions");
        var normalizer = new ScopeNormalizer(options);

        Assert.Equal(ScopeSet.Parse("a"), normalizer.ReadPayloadJson("""{"permissions":["a"],"SCOPE":"admin"}"""));
    }

    [Fact]
    public void Read_ClaimNameThatOnlyLooksLikeAScopeClaim_IsNotRefused()
    {
        // Other lengths, and characters that OrdinalIgnoreCase (so ClaimsIdentity.HasClaim) does not fold to ASCII: the
        // long s and the dotless i. The writing side refuses those names too (see ClaimNameRulesTests).
        var payload = """{"scope":"a","scopes":"admin","sco":"x","scp_":"y","SCOPE_":"z","\u017Fcope":"admin","http://schemas.microsoft.com/\u0131dentity/claims/scope":"admin"}""";
        var claims = new JsonWebToken(Unsigned(payload)).Claims.ToList();

        Assert.Equal(ScopeSet.Parse("a"), ScopeNormalizer.Default.ReadPayloadJson(payload));
        Assert.Equal(ScopeSet.Parse("a"), ScopeNormalizer.Default.Read(claims));
        // The premise: .NET's own check does not read them as scope claims either.
        Assert.False(new ClaimsIdentity(claims.Where(c => c.Type != "scope"), "Bearer").HasClaim("scope", "admin"));
    }

    [Fact]
    public void ReadPayloadJson_OversizedString_IsRefused()
    {
        var normalizer = new ScopeNormalizer(new ScopeNormalizerOptions { Limits = new ScopeLimits { MaxTotalLength = 100 } });
        var payload = "{\"scope\":\"" + string.Join(' ', Enumerable.Repeat("abcdefgh", 50)) + "\"}";

        Assert.Equal(ScopeErrorReason.TooLong, Assert.Throws<ScopeFormatException>(() => normalizer.ReadPayloadJson(payload)).Reason);
    }

    [Fact]
    public void ReadPayloadJson_StringJustOverTheLimit_IsRefusedWithItsLength_EscapedOrNot()
    {
        var normalizer = new ScopeNormalizer(new ScopeNormalizerOptions { Limits = new ScopeLimits { MaxTotalLength = 100 } });
        var plain = "{\"scope\":\"" + new string('a', 101) + "\"}";
        var escaped = "{\"scope\":\"\\u0061" + new string('a', 100) + "\"}";

        foreach (var payload in new[] { plain, escaped })
        {
            var ex = Assert.Throws<ScopeFormatException>(() => normalizer.ReadPayloadJson(payload));
            Assert.Equal(ScopeErrorReason.TooLong, ex.Reason);
            Assert.Contains("is 101 characters long; the limit is 100", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ReadPayloadJson_HugeString_IsRefusedBeforeTranscoding()
    {
        var payload = "{\"scope\":\"" + new string('a', 10_000_000) + "\"}";
        var before = GC.GetAllocatedBytesForCurrentThread();

        var ex = Assert.Throws<ScopeFormatException>(() => ScopeNormalizer.Default.ReadPayloadJson(payload));

        Assert.Equal(ScopeErrorReason.TooLong, ex.Reason);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 64 * 1024);
    }

    [Fact]
    public void ReadPayloadJson_OversizedArray_IsRefused()
    {
        var normalizer = new ScopeNormalizer(new ScopeNormalizerOptions { Limits = new ScopeLimits { MaxScopes = 3 } });

        Assert.Equal(ScopeErrorReason.TooManyScopes, Assert.Throws<ScopeFormatException>(() => normalizer.ReadPayloadJson("""{"scope":["a","b","c","d"]}""")).Reason);
    }

    public static TheoryData<Claim[], ScopeErrorReason> HostileClaims => new()
    {
        { new[] { new Claim("scope", "read"), new Claim("scope", "write admin") }, ScopeErrorReason.ElementContainsSeparator },
        { new[] { new Claim("scope", "42", ClaimValueTypes.Integer) }, ScopeErrorReason.InvalidShape },
        { new[] { new Claim("scope", "read"), new Claim("scope", "1", ClaimValueTypes.Integer32) }, ScopeErrorReason.InvalidShape },
        { new[] { new Claim("scope", "true", ClaimValueTypes.Boolean) }, ScopeErrorReason.InvalidShape },
        { new[] { new Claim("scope", "{}", JsonClaimValueTypes.Json) }, ScopeErrorReason.InvalidShape },
        { new[] { new Claim("scope", "", JsonClaimValueTypes.JsonNull) }, ScopeErrorReason.InvalidShape },
        { new[] { new Claim("scope", """["a",["b"]]""", JsonClaimValueTypes.JsonArray) }, ScopeErrorReason.InvalidShape },
        { new[] { new Claim("scope", """{"a":1}""", JsonClaimValueTypes.JsonArray) }, ScopeErrorReason.InvalidShape },
        { new[] { new Claim("scope", "") }, ScopeErrorReason.Empty },
        { new[] { new Claim("scope", "a"), new Claim("scope", "") }, ScopeErrorReason.Empty },
        { new[] { new Claim("scope", "a\tb") }, ScopeErrorReason.InvalidCharacter },
        { new[] { new Claim("scope", "a"), new Claim("scp", "b") }, ScopeErrorReason.ConflictingClaims },
    };

    [Theory]
    [MemberData(nameof(HostileClaims))]
    public void ReadClaims_HostileShape_IsRefusedWithReason(Claim[] claims, ScopeErrorReason reason)
    {
        var ex = Assert.Throws<ScopeFormatException>(() => ScopeNormalizer.Default.Read(claims));

        Assert.Equal(reason, ex.Reason);
        Assert.NotNull(ex.ClaimName);
    }

    [Fact]
    public void ReadClaims_ArrayElementWithSpace_FromRealToken_IsNeverSplit()
    {
        var claims = new JsonWebToken(Unsigned("""{"scope":["read","write admin"]}""")).Claims;

        Assert.Equal(ScopeErrorReason.ElementContainsSeparator, Assert.Throws<ScopeFormatException>(() => ScopeNormalizer.Default.Read(claims)).Reason);
    }

    [Fact]
    public void ReadClaims_NumberElementFromRealToken_IsRefused()
    {
        var claims = new JsonWebToken(Unsigned("""{"scope":["read",7]}""")).Claims;

        Assert.Throws<ScopeFormatException>(() => ScopeNormalizer.Default.Read(claims));
    }

    [Theory]
    [InlineData(MultipleScopeClaimsBehavior.FirstPresent, "a")]
    [InlineData(MultipleScopeClaimsBehavior.Union, "a b")]
    public void Read_ScopeAndScpBothPresent_GivesFirstPresentOrUnionAsConfigured(MultipleScopeClaimsBehavior behavior, string expected)
    {
        var normalizer = new ScopeNormalizer(new ScopeNormalizerOptions { MultipleClaims = behavior });

        Assert.Equal(ScopeSet.Parse(expected), normalizer.ReadPayloadJson("""{"scp":["b"],"scope":"a"}"""));
        Assert.Equal(ScopeSet.Parse(expected), normalizer.Read(new[] { new Claim("scp", "b"), new Claim("scope", "a") }));
    }

    private static ScopeNormalizer ThreeClaimTypes(MultipleScopeClaimsBehavior behavior, int maxScopes = 100)
    {
        var options = new ScopeNormalizerOptions { MultipleClaims = behavior, Limits = new ScopeLimits { MaxScopes = maxScopes } };
        options.ClaimTypes.Clear();
        options.ClaimTypes.Add("scope");
        options.ClaimTypes.Add("scp");
        options.ClaimTypes.Add("permissions");
        return new ScopeNormalizer(options);
    }

    [Fact]
    public void Read_SeveralScopeClaims_RequireEquivalentAcceptsTheSameSetInAnyOrderAndShape()
    {
        var normalizer = ThreeClaimTypes(MultipleScopeClaimsBehavior.RequireEquivalent);

        Assert.Equal(["b", "a"], normalizer.ReadPayloadJson("""{"permissions":"a b","scp":["b","a"]}""").ToArray());
        Assert.Equal(["a", "b"], normalizer.ReadPayloadJson("""{"scope":"a b","scp":["b","a"],"permissions":"b a"}""").ToArray());
        Assert.Equal(["c"], normalizer.ReadPayloadJson("""{"permissions":"c"}""").ToArray());
        Assert.Same(ScopeSet.Empty, normalizer.ReadPayloadJson("""{"sub":"x"}"""));
        var ex = Assert.Throws<ScopeFormatException>(() => normalizer.ReadPayloadJson("""{"scp":"a","permissions":"a b"}"""));
        Assert.Equal(ScopeErrorReason.ConflictingClaims, ex.Reason);
        Assert.Equal("permissions", ex.ClaimName);
        Assert.Equal("The scope claim 'permissions' holds a different set of scopes than 'scp'; with several scope claims present they must agree (see ScopeNormalizerOptions.MultipleClaims).", ex.Message);
    }

    [Fact]
    public void Read_SeveralScopeClaims_FirstPresentTakesTheFirstConfiguredTypePresent()
    {
        var normalizer = ThreeClaimTypes(MultipleScopeClaimsBehavior.FirstPresent);

        Assert.Equal(["b"], normalizer.ReadPayloadJson("""{"permissions":"c","scp":"b"}""").ToArray());
        Assert.Equal(["c"], normalizer.ReadPayloadJson("""{"permissions":"c"}""").ToArray());
        Assert.Equal(["a"], normalizer.ReadPayloadJson("""{"permissions":"c","scp":"b","scope":"a"}""").ToArray());
    }

    [Fact]
    public void Read_SeveralScopeClaims_UnionKeepsTheConfiguredOrderAndTheScopeLimit()
    {
        var normalizer = ThreeClaimTypes(MultipleScopeClaimsBehavior.Union, maxScopes: 3);

        Assert.Equal(["a", "b", "c"], normalizer.ReadPayloadJson("""{"permissions":"c a","scp":"b","scope":"a"}""").ToArray());
        Assert.Equal(["b", "c"], normalizer.ReadPayloadJson("""{"permissions":"c","scp":"b"}""").ToArray());
        var ex = Assert.Throws<ScopeFormatException>(() => normalizer.ReadPayloadJson("""{"permissions":"d","scp":"b c","scope":"a"}"""));
        Assert.Equal(ScopeErrorReason.TooManyScopes, ex.Reason);
        Assert.Equal("permissions", ex.ClaimName);
        Assert.Equal("The scope claim 'permissions' together with the other scope claims holds more than 3 scopes.", ex.Message);
    }

    [Fact]
    public void ClaimTypes_AreConfigurable()
    {
        var options = new ScopeNormalizerOptions();
        options.ClaimTypes.Clear();
        options.ClaimTypes.Add("permissions");
        var normalizer = new ScopeNormalizer(options);

        Assert.Equal(ScopeSet.Parse("x y"), normalizer.ReadPayloadJson("""{"permissions":["x","y"],"scope":"ignored"}"""));
    }

    [Fact]
    public void Constructor_InvalidOptions_Throw()
    {
        var empty = new ScopeNormalizerOptions();
        empty.ClaimTypes.Clear();
        Assert.Throws<ArgumentException>(() => new ScopeNormalizer(empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScopeNormalizer(new ScopeNormalizerOptions { MaxJsonDepth = 1 }));
        Assert.Throws<ArgumentNullException>(() => new ScopeNormalizer((ScopeNormalizerOptions)null!));
    }

    [Fact]
    public void ArgumentValidation_NullArguments_Throw()
    {
        var n = ScopeNormalizer.Default;
        Assert.Throws<ArgumentNullException>(() => n.Read((ClaimsPrincipal)null!));
        Assert.Throws<ArgumentNullException>(() => n.Read((ClaimsIdentity)null!));
        Assert.Throws<ArgumentNullException>(() => n.Read((IEnumerable<Claim>)null!));
        Assert.Throws<ArgumentNullException>(() => n.Read((JsonWebToken)null!));
        Assert.Throws<ArgumentNullException>(() => n.Read((JwtSecurityToken)null!));
        Assert.Throws<ArgumentNullException>(() => n.ReadPayloadJson((string)null!));
    }

    public static TheoryData<string, string> HostilePayloadMessages => new()
    {
        { """{"scope":42}""", "The scope claim 'scope' is a number; it must be a space-delimited string or an array of strings." },
        { """{"scope":false}""", "The scope claim 'scope' is a boolean; it must be a space-delimited string or an array of strings." },
        { """{"scope":null}""", "The scope claim 'scope' is null; it must be a space-delimited string or an array of strings." },
        { """{"scope":{}}""", "The scope claim 'scope' is an object; it must be a space-delimited string or an array of strings." },
        { """{"scope":["a",["b"]]}""", "The scope claim 'scope' is an array whose element at index 1 is a nested array; every element must be a string holding one scope." },
        { """{"scope":["a","b",7]}""", "The scope claim 'scope' is an array whose element at index 2 is a number; every element must be a string holding one scope." },
        { """{"scp":""}""", "The scope claim 'scp' is an empty string; omit the claim, or use an empty array, when there is no scope." },
        { """{"scp":"\u0020"}""", "The scope claim 'scp' is an empty string; omit the claim, or use an empty array, when there is no scope." },
        { """{"scope":"a","scope":"b"}""", "The token payload names the scope claim 'scope' more than once." },
        { """["a"]""", "The token payload is not a JSON object." },
        { """{"scope":"a"} {}""", "The token payload is not well-formed JSON or is nested too deeply." },
        { """{"scope":"a","SCP":"b"}""", "The scope claim 'scp' is also named by a claim whose name differs from it only in case; .NET compares claim types ignoring case, so that claim would be read as this scope claim. Name scope claims exactly." },
        { """{"\u0053cope":"a"}""", "The scope claim 'scope' is also named by a claim whose name differs from it only in case; .NET compares claim types ignoring case, so that claim would be read as this scope claim. Name scope claims exactly." },
    };

    [Theory]
    [MemberData(nameof(HostilePayloadMessages))]
    public void ReadPayloadJson_HostileShape_MessageSaysWhatAndWhere(string payload, string expected) =>
        Assert.Equal(expected, Assert.Throws<ScopeFormatException>(() => ScopeNormalizer.Default.ReadPayloadJson(payload)).Message);

    [Theory]
    [InlineData("{\"scope\":[\"caf\u00e9\"]}")]
    [InlineData("{\"scope\":[\"a\",\"\u00e9\"]}")]
    [InlineData("{\"scope\":\"caf\u00e9\"}")]
    public void ReadPayloadJson_RawNonAsciiScope_IsRefusedNotReadAsAscii(string payload)
    {
        // The characters themselves (UTF-8 in the payload), not \u escapes: never narrowed to '?', a character of the grammar.
        var ex = Assert.Throws<ScopeFormatException>(() => ScopeNormalizer.Default.ReadPayloadJson(payload));

        Assert.Equal(ScopeErrorReason.InvalidCharacter, ex.Reason);
        Assert.Contains("a non-ASCII character (U+00E9)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadPayloadJson_ArrayElementsAroundTheReuseLength_AreReadWhole()
    {
        // Elements up to ScopeStrings.MaxLength may be reused instances; longer ones are read as new strings.
        var scopes = new[] { new string('a', ScopeClaims.Internal.ScopeStrings.MaxLength), new string('b', ScopeClaims.Internal.ScopeStrings.MaxLength + 1), new string('c', ScopeClaims.Internal.ScopeStrings.MaxLength + 40) };
        var payload = "{\"scope\":[" + string.Join(',', scopes.Select(x => $"\"{x}\"")) + "]}";

        Assert.Equal(scopes, ScopeNormalizer.Default.ReadPayloadJson(payload).ToArray());
    }

    [Fact]
    public void ReadPayloadJson_EscapedScopeClaimName_IsTheScopeClaim()
    {
        Assert.Equal(["a", "b"], ScopeNormalizer.Default.ReadPayloadJson("""{"\u0073cope":"a b"}""").ToArray());
        Assert.Equal(["a"], ScopeNormalizer.Default.ReadPayloadJson("""{"\u0073\u0063\u0070":["a"]}""").ToArray());
    }

    [Fact]
    public void Read_NonAsciiClaimType_CaseVariantIsRefusedInEveryInput()
    {
        var options = new ScopeNormalizerOptions();
        options.ClaimTypes.Clear();
        options.ClaimTypes.Add("r\u00e9le");
        var normalizer = new ScopeNormalizer(options);

        Assert.Equal(["a"], normalizer.ReadPayloadJson("""{"r\u00e9le":"a"}""").ToArray());
        Assert.Equal(["a"], normalizer.ReadPayloadJson("{\"r\u00e9le\":\"a\"}").ToArray());
        Assert.Equal(ScopeErrorReason.ConflictingClaims, Assert.Throws<ScopeFormatException>(() => normalizer.ReadPayloadJson("{\"R\u00c9LE\":\"a\"}")).Reason);
        Assert.Equal(ScopeErrorReason.ConflictingClaims, Assert.Throws<ScopeFormatException>(() => normalizer.ReadPayloadJson("""{"R\u00c9LE":"a"}""")).Reason);
        Assert.Equal(ScopeErrorReason.ConflictingClaims, Assert.Throws<ScopeFormatException>(() => normalizer.Read([new Claim("R\u00c9LE", "a")])).Reason);
        Assert.Equal(ScopeSet.Empty, normalizer.ReadPayloadJson("{\"rele\":\"a\",\"ROLE\":\"b\"}"));
    }

    [Fact]
    public void ReadPayloadJson_LongEscapedNames_AreComparedIgnoringCase()
    {
        var options = new ScopeNormalizerOptions();
        options.ClaimTypes.Clear();
        options.ClaimTypes.Add(new string('s', 100));
        var normalizer = new ScopeNormalizer(options);
        var escapedVariant = string.Concat(Enumerable.Repeat("\\u0053", 100));

        var ex = Assert.Throws<ScopeFormatException>(() => normalizer.ReadPayloadJson($"{{\"{escapedVariant}\":\"a\"}}"));

        Assert.Equal(ScopeErrorReason.ConflictingClaims, ex.Reason);
        Assert.Equal(ScopeSet.Empty, normalizer.ReadPayloadJson($"{{\"{escapedVariant[..^6]}\":\"a\"}}"));
    }

    [Fact]
    public void ReadPayloadJson_PayloadLength_IsBoundedWithItsMessage()
    {
        var normalizer = new ScopeNormalizer(new ScopeNormalizerOptions { MaxPayloadLength = 14 });

        Assert.Equal(["a"], normalizer.ReadPayloadJson("""{"scope":"a"}""").ToArray());
        Assert.Equal(["a"], normalizer.ReadPayloadJson("""{"scope":"a"} """).ToArray());
        var ex = Assert.Throws<ScopeFormatException>(() => normalizer.ReadPayloadJson("""{"scope":"a"}  """));
        Assert.Equal(ScopeErrorReason.TooLong, ex.Reason);
        Assert.Equal("The token payload is 15 long; the limit is 14 (ScopeNormalizerOptions.MaxPayloadLength).", ex.Message);
        Assert.Throws<ScopeFormatException>(() => normalizer.ReadPayloadJson(Encoding.UTF8.GetBytes("""{"scope":"a"}  """)));
    }

    [Fact]
    public void ReadPayloadJson_LongAsciiValue_IsParsedBeyondTheStackBuffer()
    {
        var scopes = Enumerable.Range(0, 200).Select(i => $"scope.{i}").ToArray();
        var value = string.Join(' ', scopes);

        Assert.True(value.Length > 512);
        Assert.Equal(scopes, ScopeNormalizer.Default.ReadPayloadJson($$"""{"scope":"{{value}}"}""").ToArray());
        Assert.Equal(scopes, ScopeNormalizer.Default.ReadPayloadJson($$"""{"scope":"  {{value}}  "}""").ToArray());
    }

    [Fact]
    public void ReadPayloadJson_ValuesFarOverTheLimits_AreRefusedBeforeTheyAreRead()
    {
        var normalizer = new ScopeNormalizer(new ScopeNormalizerOptions { Limits = new ScopeLimits { MaxTotalLength = 10, MaxScopeLength = 4 } });

        var value = Assert.Throws<ScopeFormatException>(() => normalizer.ReadPayloadJson($$"""{"scope":"{{new string('a', 61)}}"}"""));
        var element = Assert.Throws<ScopeFormatException>(() => normalizer.ReadPayloadJson($$"""{"scope":["a","{{new string('a', 25)}}"]}"""));
        var claim = Assert.Throws<ScopeFormatException>(() => normalizer.Read([new Claim("scope", $"[\"{new string('a', 59)}\"]", JsonClaimValueTypes.JsonArray)]));

        Assert.Equal("The scope claim 'scope' is longer than the limit of 10 characters.", value.Message);
        Assert.Equal(ScopeErrorReason.TooLong, value.Reason);
        Assert.Equal("The scope claim 'scope' has an element at index 1 longer than the limit of 4 characters.", element.Message);
        Assert.Equal(ScopeErrorReason.ScopeTooLong, element.Reason);
        Assert.Equal("The scope claim 'scope' is longer than the limit of 10 characters.", claim.Message);
        Assert.Equal(ScopeErrorReason.ScopeTooLong, Assert.Throws<ScopeFormatException>(() => normalizer.ReadPayloadJson($$"""{"scope":["{{new string('a', 24)}}"]}""")).Reason);
        Assert.Equal(ScopeErrorReason.TooLong, Assert.Throws<ScopeFormatException>(() => normalizer.ReadPayloadJson($$"""{"scope":"{{new string('a', 60)}}"}""")).Reason);
    }

    public static TheoryData<string, string> HostileJsonArrayClaims => new()
    {
        { """{"a":1}""", "The scope claim 'scope' is typed as a JSON array but does not hold one." },
        { """["a"] 1""", "The scope claim 'scope' is typed as a JSON array but is not well-formed JSON." },
        { """["a" """, "The scope claim 'scope' is typed as a JSON array but is not well-formed JSON." },
        { """[[[["a"]]]]""", "The scope claim 'scope' is an array whose element at index 0 is a nested array; every element must be a string holding one scope." },
    };

    [Theory]
    [MemberData(nameof(HostileJsonArrayClaims))]
    public void ReadClaims_JsonArrayClaimNotAnArray_MessageSaysWhat(string value, string expected) =>
        Assert.Equal(expected, Assert.Throws<ScopeFormatException>(() => ScopeNormalizer.Default.Read([new Claim("scope", value, JsonClaimValueTypes.JsonArray)])).Message);

    [Fact]
    public void ReadClaims_ValueTypes_StringOrJsonArrayOnly()
    {
        var integer = Assert.Throws<ScopeFormatException>(() => ScopeNormalizer.Default.Read([new Claim("scope", "a"), new Claim("scope", "1", ClaimValueTypes.Integer)]));

        Assert.Equal($"The scope claim 'scope' has a claim of value type '{ClaimValueTypes.Integer}'; scopes must be strings.", integer.Message);
        Assert.Equal(["a", "b"], ScopeNormalizer.Default.Read([new Claim("scope", "a b", ClaimValueTypes.String)]).ToArray());
        Assert.Equal(["a", "b", "c"], ScopeNormalizer.Default.Read([new Claim("scope", "a"), new Claim("scope", """["b","c","a"]""", JsonClaimValueTypes.JsonArray)]).ToArray());
        Assert.Equal(["a", "b"], ScopeNormalizer.Default.Read([new Claim("scope", "a", string.Empty), new Claim("scope", "b", ClaimValueTypes.String)]).ToArray());
    }

    [Fact]
    public void Constructor_OptionsAtTheirLowestAllowed_AreAcceptedAndBelowRefused()
    {
        var lowest = new ScopeNormalizer(new ScopeNormalizerOptions { MaxPayloadLength = 2, MaxJsonDepth = 2 });
        var payload = Assert.Throws<ArgumentOutOfRangeException>(() => new ScopeNormalizer(new ScopeNormalizerOptions { MaxPayloadLength = 1 }));
        var depth = Assert.Throws<ArgumentOutOfRangeException>(() => new ScopeNormalizer(new ScopeNormalizerOptions { MaxJsonDepth = 1 }));
        var emptyType = new ScopeNormalizerOptions();
        emptyType.ClaimTypes.Add(string.Empty);

        Assert.Equal(ScopeSet.Empty, lowest.ReadPayloadJson("{}"));
        Assert.StartsWith("ScopeNormalizerOptions.MaxPayloadLength must be at least 2.", payload.Message, StringComparison.Ordinal);
        Assert.StartsWith("ScopeNormalizerOptions.MaxJsonDepth must be at least 2.", depth.Message, StringComparison.Ordinal);
        Assert.StartsWith("ScopeNormalizerOptions.ClaimTypes must name at least one claim type", Assert.Throws<ArgumentException>(() => new ScopeNormalizer(emptyType)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => new ScopeNormalizer(new ScopeNormalizerOptions { Limits = null! }));
        Assert.Throws<ArgumentNullException>(() => new ScopeNormalizer((Microsoft.Extensions.Options.IOptions<ScopeNormalizerOptions>)null!));
    }

    internal static string Unsigned(string payload) =>
        Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""") + "." + Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload)) + ".";

    [Fact]
    public void ReadPayloadJson_EscapedValuesOfSixBytesPerCharacterAtTheLimit_AreRead()
    {
        // The checks made before a value is unescaped allow 6 bytes (the \uXXXX escape) per character of the limit; a
        // value of exactly that many bytes is read, and refused only if it is over the limit once unescaped.
        var normalizer = new ScopeNormalizer(new ScopeNormalizerOptions { Limits = new ScopeLimits { MaxTotalLength = 10, MaxScopeLength = 4 } });
        var ten = string.Concat(Enumerable.Repeat("\\u0061", 10));
        var four = string.Concat(Enumerable.Repeat("\\u0062", 4));

        Assert.Equal(60, ten.Length);
        Assert.Equal(ScopeErrorReason.ScopeTooLong, Assert.Throws<ScopeFormatException>(() => normalizer.ReadPayloadJson($$"""{"scope":"{{ten}}"}""")).Reason);
        Assert.Equal(["aaaa", "b"], normalizer.ReadPayloadJson($$"""{"scope":"{{string.Concat(Enumerable.Repeat("\\u0061", 4))}} \u0062"}""").ToArray());
        Assert.Equal(["bbbb"], normalizer.ReadPayloadJson($$"""{"scope":["{{four}}"]}""").ToArray());
        Assert.Equal(["bbbb"], normalizer.ReadPayloadJson(Encoding.UTF8.GetBytes($$"""{"scope":["{{four}}"]}""")).ToArray());
        var wide = new ScopeNormalizer(new ScopeNormalizerOptions { Limits = new ScopeLimits { MaxTotalLength = 10, MaxScopeLength = 10 } });
        Assert.Equal([new string('a', 10)], wide.ReadPayloadJson($$"""{"scope":"{{ten}}"}""").ToArray());
    }

    [Fact]
    public void ReadClaims_JsonArrayClaimOfSixCharactersPerCharacterOfTheLimit_IsRead()
    {
        var normalizer = new ScopeNormalizer(new ScopeNormalizerOptions { Limits = new ScopeLimits { MaxTotalLength = 10 } });
        var json = "[" + new string(' ', 53) + "\"abc\"]";

        Assert.Equal(60, json.Length);
        Assert.Equal(["abc"], normalizer.Read([new Claim("scope", json, JsonClaimValueTypes.JsonArray)]).ToArray());
        Assert.Equal(ScopeErrorReason.TooLong, Assert.Throws<ScopeFormatException>(() => normalizer.Read([new Claim("scope", " " + json, JsonClaimValueTypes.JsonArray)])).Reason);
    }

    public static TheoryData<string> CaseVariantsOfShortAndLongClaimTypes => new()
    {
        """{"SCP":"admin"}""",
        """{"\u0053CP":"admin"}""",
        """{"A_LONGER_SCOPE_CLAIM_TYPE_NAME":"admin"}""",
        """{"\u0041_LONGER_SCOPE_CLAIM_TYPE_NAME":"admin"}""",
    };

    [Theory]
    [MemberData(nameof(CaseVariantsOfShortAndLongClaimTypes))]
    public void ReadPayloadJson_CaseVariantsOfTheShortestAndTheLongestClaimType_AreRefused(string payload)
    {
        // The length pre-filter takes the shortest and the longest configured claim type: neither end may cut a variant off.
        var options = new ScopeNormalizerOptions();
        options.ClaimTypes.Clear();
        options.ClaimTypes.Add("scp");
        options.ClaimTypes.Add("a_longer_scope_claim_type_name");
        var normalizer = new ScopeNormalizer(options);

        Assert.Equal(ScopeErrorReason.ConflictingClaims, Assert.Throws<ScopeFormatException>(() => normalizer.ReadPayloadJson(payload)).Reason);
        Assert.Equal(ScopeErrorReason.ConflictingClaims, Assert.Throws<ScopeFormatException>(() => normalizer.ReadPayloadJson(Encoding.UTF8.GetBytes(payload))).Reason);
        Assert.Equal(ScopeErrorReason.ConflictingClaims, Assert.Throws<ScopeFormatException>(() => normalizer.Read(new JsonWebToken(Unsigned(payload)))).Reason);
    }

    [Fact]
    public void OrdinalIgnoreCase_NoNonAsciiCharacterEqualsAnAsciiOne()
    {
        // The case-variant check compares ASCII names with ASCII claim types byte by byte, and takes an ASCII name for
        // no variant of a non-ASCII claim type: both rest on this property of .NET's OrdinalIgnoreCase (the dotless i,
        // U+0131, and the long s, U+017F, are not folded to I and S).
        for (var c = '\u0080'; c < char.MaxValue; c++)
        {
            for (var a = ' '; a <= '~'; a++)
            {
                Assert.False(MemoryExtensions.Equals([c], [a], StringComparison.OrdinalIgnoreCase), $"U+{(int)c:X4} equals '{a}'");
            }
        }

        var options = new ScopeNormalizerOptions();
        options.ClaimTypes.Clear();
        options.ClaimTypes.Add("scope");
        options.ClaimTypes.Add("\u0131d");
        var normalizer = new ScopeNormalizer(options);
        Assert.Equal(["a"], normalizer.ReadPayloadJson("{\"\u0131d\":\"a\",\"ID\":\"b\"}").ToArray());
        Assert.Equal(ScopeErrorReason.ConflictingClaims, Assert.Throws<ScopeFormatException>(() => normalizer.ReadPayloadJson("""{"Scope":"a"}""")).Reason);
    }

    [Fact]
    public void ReadPayloadJson_EscapedCaseVariantLongerThanTheStackBuffer_IsRefused()
    {
        var options = new ScopeNormalizerOptions();
        options.ClaimTypes.Clear();
        options.ClaimTypes.Add(new string('s', 600));
        var normalizer = new ScopeNormalizer(options);
        var variant = "\\u0053" + new string('S', 599);

        Assert.Equal(ScopeErrorReason.ConflictingClaims, Assert.Throws<ScopeFormatException>(() => normalizer.ReadPayloadJson($$"""{"{{variant}}":"a"}""")).Reason);
        Assert.Equal(ScopeErrorReason.ConflictingClaims, Assert.Throws<ScopeFormatException>(() => normalizer.ReadPayloadJson($$"""{"{{new string('S', 600)}}":"a"}""")).Reason);
        Assert.Equal(["a"], normalizer.ReadPayloadJson($$"""{"{{new string('s', 600)}}":"a"}""").ToArray());
    }

    public static TheoryData<string> InvalidUtf8InScopeStrings => new()
    {
        "{\"scope\":\"a \u00e9\xFF\"}",
        "{\"scope\":[\"a\",\"\u00e9\xFF\"]}",
        "{\"scope\":\"a\xC3\"}",
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8InScopeStrings))]
    public void ReadPayloadJson_InvalidUtf8InAScopeString_IsMalformedJson(string latin1)
    {
        // Each char of the test string is one byte of the payload (Latin-1), so the bytes after \u00e9 are invalid UTF-8.
        var utf8 = Encoding.Latin1.GetBytes(latin1.Replace("\u00e9", "\u00c3\u00a9", StringComparison.Ordinal));

        var ex = Assert.Throws<ScopeFormatException>(() => ScopeNormalizer.Default.ReadPayloadJson(utf8));

        Assert.Equal(ScopeErrorReason.MalformedJson, ex.Reason);
        Assert.Equal("The token payload is not well-formed JSON.", ex.Message);
    }
}
