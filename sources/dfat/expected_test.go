package dfat

// wantIssues are the issues each real workbook gives, in order, with why:
//
//   - 2024: 3581's Date of Birth, "Approximately (30-35 years old)", holds
//     no date (it stays in remarks);
//   - dates of birth that are no date: "29 March" (no year), "23-Apr-68" and
//     "07/04/62" (two-digit years: no century is guessed),
//     "10/061962", "/02/1961", "7/02/1950/11/1950 08/08/1945", and (2026)
//     1254's "24/06/1402", a Hijri date printed without "(Hijri
//     Calendar)" (2024 prints it, and it is converted);
//   - IMO numbers in Additional Information of entities (ship owners and
//     managers) that fail the ship number check: IMO company numbers;
//   - 2026: 8631's IMO Number 9434980 fails its check digit (DFAT's typo);
//   - 2026: 3621h has no Type;
//   - 2026: 1228c prints the UN reference CDi.002, the rest of 1228 CDi.003;
//   - 2026: the three anomalies of reference groups: 8495 (an alias whose
//     primary row is missing), 8686 (two Primary Name rows), 8720 (no
//     Primary Name row).
var wantIssues = map[string][]string{
	"2024-12-17": {
		"regulation8_consolidated.xlsx:344:139: Date of Birth \"29 March\": not a date; kept as raw text",
		"regulation8_consolidated.xlsx:1301:483: Date of Birth \"23-Apr-68\": not a date; kept as raw text",
		"regulation8_consolidated.xlsx:3993:2704: Date of Birth \"07/04/62\": not a date; kept as raw text",
		"regulation8_consolidated.xlsx:5746:3581: Date of Birth \"Approximately (30-35 years old)\" holds no date; kept in remarks",
		"regulation8_consolidated.xlsx:6863:6960: Date of Birth \"10/061962\": not a date; kept as raw text",
	},
	"2026-02-24": {
		"Australian_Sanctions_Consolidated_List.xlsx:2236:1228: reference 1228 prints 2 UN reference numbers: CDi.003 (1228, row 2233), CDi.002 (1228c, row 2236); all are kept",
		"Australian_Sanctions_Consolidated_List.xlsx:2295:1254: Date of Birth \"24/06/1402\": no Gregorian birth date (a Hijri date printed without its calendar?); kept as raw text",
		"Australian_Sanctions_Consolidated_List.xlsx:2517:1930: Date of Birth \"/02/1961\": not a date; kept as raw text",
		"Australian_Sanctions_Consolidated_List.xlsx:3654:2647: Date of Birth \"7/02/1950/11/1950 08/08/1945\": not a date; kept as raw text",
		"Australian_Sanctions_Consolidated_List.xlsx:5726:3621h: Type empty; the group's \"Entity\" (row 5718) is used",
		"Australian_Sanctions_Consolidated_List.xlsx:6707:6960: Date of Birth \"10/061962\": not a date; kept as raw text",
		"Australian_Sanctions_Consolidated_List.xlsx:10412:8495: alias row of reference 8495 without its primary row (no row 8495): 8495b (row 10412) \"Yahya Husseini Panjaki\"; \"Yahya Husseini Panjaki\" (8495b) is taken as the name",
		"Australian_Sanctions_Consolidated_List.xlsx:10641:8631: IMO number \"9434980\" of a party typed vessel is invalid (IMO check digit is 0, want 1); kept, marked invalid",
		"Australian_Sanctions_Consolidated_List.xlsx:10729:8686: reference 8686 has 2 Primary Name rows: 8686 (row 10728) \"Rubicon Center for Advanced Unmanned Technologies\", 8686a (row 10729) \"Rubicon Unit\"; the first is the name, the others are kept as aliases",
		"Australian_Sanctions_Consolidated_List.xlsx:10813:8720: reference 8720 has no Primary Name row (8720 (row 10813) \"Joint Stock Company Exi Bank\", 8720a (row 10814) \"EKSI BANK AO\"); \"Joint Stock Company Exi Bank\" (8720) is taken as the name",
	},
}
