//! Loading a pack: every fact, argument and expression of the file checked and compiled, identical measures shared
//! across rules, errors with the file, line, column and rule.

use super::file::*;
use super::*;
pub(super) fn line_col(src: &str, byte: usize) -> (usize, usize) {
    let upto = src.get(..byte.min(src.len())).unwrap_or("");
    let line = upto.matches('\n').count() + 1;
    let col = upto.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

pub(super) struct Loader<'a> {
    pub(super) src: &'a str,
    pub(super) origin: &'a str,
    pub(super) params: Vec<Param>,
    pub(super) measures: Vec<(&'static FactDef, Args)>,
    /// Where each name and measure is, so that a pack loads in time linear in its size: parameters, indicators,
    /// rules so far, and the measures shared across rules (by fact and arguments).
    pub(super) param_ix: HashMap<Counted<Arc<str>>, usize, Seeded>,
    pub(super) indicator_ix: HashMap<Counted<Arc<str>>, usize, Seeded>,
    pub(super) rule_ix: HashMap<Counted<Arc<str>>, usize, Seeded>,
    measure_ix: HashMap<Counted<(usize, Args)>, usize, Seeded>,
}

/// A key of the loader's indexes. Tests count the comparisons its lookups make, the measure of the loader's work
/// (`loading_does_work_linear_in_the_rules`).
#[derive(Debug, Clone)]
pub(super) struct Counted<K>(pub(super) K);

// Hashes as its key does, and compares equal exactly when its key does (below).
impl<K: std::hash::Hash> std::hash::Hash for Counted<K> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl<K: PartialEq> PartialEq for Counted<K> {
    fn eq(&self, other: &Self) -> bool {
        #[cfg(test)]
        COMPARISONS.with(|c| c.set(c.get() + 1));
        self.0 == other.0
    }
}

impl<K: Eq> Eq for Counted<K> {}

impl<K: std::borrow::Borrow<str>> std::borrow::Borrow<str> for Counted<K> {
    fn borrow(&self) -> &str {
        self.0.borrow()
    }
}

#[cfg(test)]
thread_local! {
    /// Key comparisons made by the loader's lookups on this thread.
    pub(super) static COMPARISONS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl<'a> Loader<'a> {
    pub(super) fn new(src: &'a str, origin: &'a str) -> Loader<'a> {
        Loader {
            src,
            origin,
            params: Vec::new(),
            measures: Vec::new(),
            param_ix: HashMap::default(),
            indicator_ix: HashMap::default(),
            rule_ix: HashMap::default(),
            measure_ix: HashMap::default(),
        }
    }

    pub(super) fn err(&self, kind: ErrorKind, msg: impl Into<String>, byte: usize) -> Error {
        let (l, c) = line_col(self.src, byte);
        Error::new(kind, msg).with_file(self.origin).with_position(l, c)
    }

    pub(super) fn param_index(&self, name: &str) -> Option<usize> {
        self.param_ix.get(name).copied()
    }

    pub(super) fn unknown_param(&self, name: &str, at: usize) -> Error {
        let e = self.err(ErrorKind::UnknownName, format!("unknown parameter `${name}`"), at);
        match closest(name, self.params.iter().map(|p| p.name.as_str())) {
            Some(c) => e.with_help(format!("did you mean `${c}`?")),
            None => e,
        }
    }

    pub(super) fn intern(&mut self, def: &'static FactDef, args: Args) -> usize {
        // A fact is known by its place in the static table of facts.
        let key = Counted((std::ptr::from_ref(def) as usize, args));
        if let Some(&i) = self.measure_ix.get(&key) {
            return i;
        }
        self.measures.push((def, key.0.1.clone()));
        let i = self.measures.len() - 1;
        self.measure_ix.insert(key, i);
        i
    }

    pub(super) fn span_arg(&self, v: &str, what: &str, at: usize) -> Result<SpanArg, Error> {
        if let Some(p) = v.strip_prefix('$') {
            let i = self.param_index(p).ok_or_else(|| self.unknown_param(p, at))?;
            return match self.params.get(i).map(|p| &p.value) {
                Some(ParamValue::Span(_)) => Ok(SpanArg::Param(i)),
                _ => Err(self
                    .err(
                        ErrorKind::InvalidArgument,
                        format!("`{what}` needs a window parameter but `${p}` is not one"),
                        at,
                    )
                    .with_help("declare it with `type = \"window\"`")),
            };
        }
        Span::parse(v).map(SpanArg::Lit).ok_or_else(|| {
            self.err(ErrorKind::InvalidArgument, format!("invalid {what} `{v}`"), at)
                .with_help("write a length such as `2w`, `6mo`, `1y`, `15d` (or `2周`, `6个月`, `1年`)")
        })
    }

    pub(super) fn text_arg(&self, v: &str, what: &str, valid: &[&str], at: usize) -> Result<TextArg, Error> {
        let check = |s: &str| -> Result<(), Error> {
            if valid.contains(&s) {
                Ok(())
            } else {
                Err(self
                    .err(ErrorKind::InvalidArgument, format!("invalid {what} `{s}`"), at)
                    .with_help(format!("expected one of {}", valid.join(", "))))
            }
        };
        if let Some(p) = v.strip_prefix('$') {
            let i = self.param_index(p).ok_or_else(|| self.unknown_param(p, at))?;
            let param = self.params.get(i).ok_or_else(|| self.unknown_param(p, at))?;
            let ParamValue::Text(cur) = &param.value else {
                return Err(self.err(
                    ErrorKind::InvalidArgument,
                    format!("`{what}` needs a text parameter but `${p}` is not one"),
                    at,
                ));
            };
            check(cur)?;
            for a in param.allowed.iter().flatten() {
                check(a)?;
            }
            return Ok(TextArg::Param(i));
        }
        check(v)?;
        Ok(TextArg::Lit(v.to_string()))
    }

    pub(super) fn measure(&mut self, m: &Spanned<FileMeasure>) -> Result<usize, Error> {
        let at = m.span().start;
        let mv = m.get_ref();
        let fname = mv.fact.get_ref();
        let def = facts::lookup(fname).ok_or_else(|| {
            let e = self.err(
                ErrorKind::UnknownFact,
                format!("unknown fact `{fname}`"),
                mv.fact.span().start,
            );
            match closest(fname, FACTS.iter().map(|f| f.name)) {
                Some(c) => e.with_help(format!("did you mean `{c}`? `pucha rules facts` lists them all")),
                None => e.with_help("`pucha rules facts` lists the facts"),
            }
        })?;
        let given: [(Arg, bool); 13] = [
            (Arg::Window, mv.window.is_some()),
            (Arg::Wait, mv.wait.is_some()),
            (Arg::DefaultCycle, mv.default_cycle.is_some()),
            (Arg::Categories, mv.categories.is_some()),
            (Arg::Names, mv.names.is_some()),
            (Arg::Level, mv.level.is_some()),
            (Arg::OnHomepage, mv.on_homepage.is_some()),
            (Arg::Scope, mv.scope.is_some()),
            (Arg::Count, mv.count.is_some()),
            (Arg::Kinds, mv.kinds.is_some()),
            (Arg::Confirmed, mv.confirmed.is_some()),
            (Arg::TimeoutMs, mv.timeout_ms.is_some()),
            (Arg::Elements, mv.elements.is_some()),
        ];
        for (arg, present) in given {
            if present && !def.args.contains(&arg) {
                let takes: Vec<&str> = def.args.iter().map(|a| a.key()).collect();
                return Err(self
                    .err(
                        ErrorKind::InvalidArgument,
                        format!("fact `{}` takes no argument `{}`", def.name, arg.key()),
                        at,
                    )
                    .with_help(if takes.is_empty() {
                        "it takes no arguments".to_string()
                    } else {
                        format!("it takes {}", takes.join(", "))
                    }));
            }
        }
        if def.id == facts::FactId::ColumnsStale && mv.window.is_none() {
            return Err(self.err(
                ErrorKind::InvalidArgument,
                "fact `columns.stale` needs a `window`",
                at,
            ));
        }
        let mut args = Args::default();
        if let Some(w) = &mv.window {
            args.window = Some(self.span_arg(w, "window", at)?);
        }
        if let Some(w) = &mv.wait {
            args.wait = Some(self.span_arg(w, "wait", at)?);
        }
        if let Some(w) = &mv.default_cycle {
            args.default_cycle = Some(self.span_arg(w, "default_cycle", at)?);
        }
        if let Some(cats) = &mv.categories {
            let mut v = Vec::new();
            for c in cats {
                v.push(Category::parse(c).ok_or_else(|| {
                    self.err(ErrorKind::InvalidArgument, format!("unknown category `{c}`"), at).with_help(
                        "expected organization, dynamics, notice, policy, plan, personnel, consultation, survey, interview, guide, online_system, other",
                    )
                })?);
            }
            args.categories = Some(v);
        }
        args.names = mv.names.clone();
        args.level = mv.level;
        args.on_homepage = mv.on_homepage;
        args.confirmed = mv.confirmed;
        args.timeout_ms = mv.timeout_ms;
        if let Some(s) = &mv.scope {
            args.scope = Some(match s.as_str() {
                "homepage" => LinkScope::Homepage,
                "other" => LinkScope::Other,
                "all" => LinkScope::All,
                _ => {
                    return Err(self
                        .err(ErrorKind::InvalidArgument, format!("invalid scope `{s}`"), at)
                        .with_help("expected homepage, other or all"));
                }
            });
        }
        if let Some(c) = &mv.count {
            args.count = Some(self.text_arg(c, "count", &["distinct-url", "occurrence"], at)?);
        }
        if let Some(ks) = &mv.kinds {
            let bad = |k: &str, valid: &str| {
                self.err(ErrorKind::InvalidArgument, format!("unknown kind `{k}`"), at)
                    .with_help(format!("expected {valid}"))
            };
            if def.id == facts::FactId::LinksBroken {
                let mut v = Vec::new();
                for k in ks {
                    v.push(match k.as_str() {
                        "page" => LinkKind::Page,
                        "image" => LinkKind::Image,
                        "attachment" => LinkKind::Attachment,
                        "external" => LinkKind::External,
                        _ => return Err(bad(k, "page, image, attachment or external")),
                    });
                }
                args.link_kinds = Some(v);
            } else {
                let mut v = Vec::new();
                for k in ks {
                    v.push(match k.as_str() {
                        "serious_typo" => FindingKind::SeriousTypo,
                        "false_content" => FindingKind::FalseContent,
                        "prohibited_content" => FindingKind::ProhibitedContent,
                        _ => return Err(bad(k, "serious_typo, false_content or prohibited_content")),
                    });
                }
                args.finding_kinds = Some(v);
            }
        }
        if let Some(es) = &mv.elements {
            let mut v = Vec::new();
            for e in es {
                v.push(GuideElement::parse(e).ok_or_else(|| {
                    self.err(
                        ErrorKind::InvalidArgument,
                        format!("unknown guide element `{e}`"),
                        at,
                    )
                    .with_help("expected name, basis, conditions, materials, location, hours, phone, process")
                })?);
            }
            args.elements = Some(v);
        }
        Ok(self.intern(def, args))
    }

    pub(super) fn compile(
        &mut self,
        s: &Spanned<String>,
        locals: &[(Arc<str>, usize)],
        context: bool,
        want: Ty,
        what: &str,
    ) -> Result<Compiled, Error> {
        let src = s.get_ref();
        let mut scope = RuleScope {
            loader: self,
            locals,
            context,
        };
        let res = expr::compile(src, &mut scope);
        let (expr, ty) = res.map_err(|e| {
            let byte = s.span().start + 1 + src.char_indices().nth(e.at).map_or(src.len(), |(b, _)| b);
            let kind = match e.kind {
                ExprErrorKind::Syntax => ErrorKind::ExpressionSyntax,
                ExprErrorKind::Type => ErrorKind::ExpressionType,
                ExprErrorKind::Name => ErrorKind::UnknownName,
            };
            let err = self.err(kind, format!("{what} `{src}`: {}", e.message), byte);
            match e.help {
                Some(h) => err.with_help(h),
                None => err,
            }
        })?;
        if ty != want {
            return Err(self.err(
                ErrorKind::ExpressionType,
                format!("{what} `{src}` must give a {}, not a {}", want.name(), ty.name()),
                s.span().start,
            ));
        }
        Ok(Compiled {
            src: Arc::from(src.as_str()),
            expr,
        })
    }
}

pub(super) struct RuleScope<'l, 'a> {
    loader: &'l mut Loader<'a>,
    locals: &'l [(Arc<str>, usize)],
    context: bool,
}

impl Scope for RuleScope<'_, '_> {
    fn name(&mut self, name: &str) -> Result<(Var, Ty), String> {
        if let Some((_, g)) = self.locals.iter().find(|(n, _)| &**n == name) {
            let ty = self.loader.measures.get(*g).map_or(Ty::Num, |(d, _)| d.ty);
            return Ok((Var::Measure(*g), ty));
        }
        if self.context
            && let Some(i) = CONTEXT_VARS.iter().position(|c| *c == name)
        {
            return Ok((Var::Context(i), Ty::Num));
        }
        if let Some(def) = facts::lookup(name) {
            let g = self.loader.intern(def, Args::default());
            return Ok((Var::Measure(g), def.ty));
        }
        let mut cands: Vec<&str> = self.locals.iter().map(|(n, _)| &**n).collect();
        cands.extend(FACTS.iter().map(|f| f.name));
        if self.context {
            cands.extend(CONTEXT_VARS);
        }
        Err(match closest(name, cands) {
            Some(c) => format!("unknown name `{name}`; did you mean `{c}`?"),
            None => format!(
                "unknown name `{name}`; declare it under `measures` or use a fact from `pucha rules facts`"
            ),
        })
    }

    fn param(&mut self, name: &str) -> Result<(Var, Ty), String> {
        let i = self
            .loader
            .param_index(name)
            .ok_or_else(|| format!("unknown parameter `${name}`"))?;
        match self.loader.params.get(i).map(|p| &p.value) {
            Some(ParamValue::Num(_)) => Ok((Var::Param(i), Ty::Num)),
            Some(ParamValue::Text(_)) => Ok((Var::Param(i), Ty::Str)),
            Some(ParamValue::Bool(_)) => Ok((Var::Param(i), Ty::Bool)),
            _ => Err(format!(
                "parameter `${name}` is a window; windows are measure arguments, not values"
            )),
        }
    }
}

pub(super) fn param_value(name: &str, p: &FileParam) -> Result<ParamValue, String> {
    match (&p.default, p.ty.as_deref()) {
        (PackValue::Str(s), Some("window")) => Span::parse(s)
            .map(ParamValue::Span)
            .ok_or_else(|| format!("parameter `{name}`: invalid window `{s}`")),
        (PackValue::Str(s), None | Some("text")) => Ok(ParamValue::Text(Arc::from(s.as_str()))),
        (PackValue::Int(n), None | Some("number")) => Ok(ParamValue::Num(Ratio::int(*n))),
        (PackValue::Float(f), None | Some("number")) => Ratio::from_written_f64(*f)
            .map(ParamValue::Num)
            .ok_or_else(|| format!("parameter `{name}`: invalid number")),
        (PackValue::Bool(b), None | Some("bool")) => Ok(ParamValue::Bool(*b)),
        (_, Some(t)) if !["window", "text", "number", "bool"].contains(&t) => Err(format!(
            "parameter `{name}`: unknown type `{t}` (expected window, text, number or bool)"
        )),
        (v, _) => Err(format!(
            "parameter `{name}`: the default ({}) does not fit its type",
            v.kind()
        )),
    }
}

impl Loader<'_> {
    pub(super) fn rule(
        &mut self,
        r: &Spanned<FileRule>,
        indicators: &[Indicator],
        done: &[Rule],
    ) -> Result<Rule, Error> {
        let at = r.span().start;
        let f = r.get_ref();
        if f.id.is_empty()
            || !f
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(self
                .err(ErrorKind::InvalidValue, format!("invalid rule id `{}`", f.id), at)
                .with_help("use lowercase letters, digits and `-`, e.g. `site-unreachable`"));
        }
        if self.rule_ix.contains_key(f.id.as_str()) {
            return Err(self.err(
                ErrorKind::DuplicateId,
                format!("rule `{}` is defined twice", f.id),
                at,
            ));
        }
        let indicator = self
            .indicator_ix
            .get(f.indicator.get_ref().as_str())
            .copied()
            .ok_or_else(|| {
                let e = self.err(
                    ErrorKind::UnknownIndicator,
                    format!("unknown indicator `{}`", f.indicator.get_ref()),
                    f.indicator.span().start,
                );
                match closest(f.indicator.get_ref(), indicators.iter().map(|i| &*i.id)) {
                    Some(c) => e.with_help(format!("did you mean `{c}`?")),
                    None => e.with_help("define it under `[[indicators]]`"),
                }
            })?;
        let mut locals = Vec::new();
        for (name, m) in &f.measures {
            if facts::lookup(name).is_some() || name.starts_with('$') {
                return Err(self.err(
                    ErrorKind::InvalidValue,
                    format!("measure name `{name}` shadows a fact; choose another"),
                    m.span().start,
                ));
            }
            let g = self.measure(m)?;
            locals.push((Arc::<str>::from(name.as_str()), g));
        }
        let applies = f
            .applies
            .as_ref()
            .map(|a| self.compile(a, &locals, false, Ty::Bool, "`applies`"))
            .transpose()?;
        let review = f
            .review
            .as_ref()
            .map(|a| self.compile(a, &locals, false, Ty::Num, "`review`"))
            .transpose()?;
        if f.cases.is_empty() {
            return Err(self.err(
                ErrorKind::MissingField,
                "a rule needs at least one `[[rules.cases]]`",
                at,
            ));
        }
        let mut cases = Vec::new();
        for c in &f.cases {
            let cv = c.get_ref();
            let cat = c.span().start;
            let when = cv
                .when
                .as_ref()
                .map(|w| self.compile(w, &locals, false, Ty::Bool, "condition"))
                .transpose()?;
            let points = match (f.kind, &cv.points, &cv.each) {
                (RuleKind::Veto, None, None) => {
                    if when.is_none() {
                        return Err(self.err(ErrorKind::MissingField, "a veto case needs `when`", cat));
                    }
                    PointsSpec::None
                }
                (RuleKind::Veto, _, _) => {
                    return Err(self.err(
                        ErrorKind::InvalidValue,
                        "veto cases take no `points` or `each`",
                        cat,
                    ));
                }
                (_, None, _) => return Err(self.err(ErrorKind::MissingField, "a case needs `points`", cat)),
                (_, Some(p), None) => match p.get_ref() {
                    PackValue::Str(s) => {
                        let sp = Spanned::new(p.span(), s.clone());
                        PointsSpec::Expr(self.compile(&sp, &locals, false, Ty::Num, "points")?)
                    }
                    v => PointsSpec::Fixed(self.number(v, p.span().start)?),
                },
                (_, Some(p), Some(each)) => {
                    let unit = self.number(p.get_ref(), p.span().start)?;
                    let count = self.compile(each, &locals, false, Ty::Num, "`each`")?;
                    let per = cv.per.map_or(Ratio::ONE, |n| n.0);
                    if per <= Ratio::ZERO {
                        return Err(self.err(ErrorKind::InvalidValue, "`per` must be above zero", cat));
                    }
                    let steps = match &cv.steps {
                        None => Steps::Linear,
                        Some(s) => match self.text_arg(
                            s.get_ref(),
                            "steps",
                            &["linear", "whole", "whole-percent"],
                            s.span().start,
                        )? {
                            TextArg::Lit(l) if l == "linear" => Steps::Linear,
                            TextArg::Lit(_) => Steps::Whole,
                            TextArg::Param(i) => Steps::Param(i),
                        },
                    };
                    PointsSpec::Each {
                        count,
                        unit,
                        per,
                        steps,
                    }
                }
            };
            let label = cv.label.clone().unwrap_or_else(|| {
                let s = when
                    .as_ref()
                    .map_or_else(|| f.title.zh.clone(), |w| w.src.clone());
                Text { zh: s.clone(), en: s }
            });
            cases.push(Case { label, when, points });
        }
        let explain = match &f.explain {
            None => None,
            Some(ex) => {
                let bad = |name: String| {
                    self.err(
                        ErrorKind::UnknownName,
                        format!("`explain` names `{{{name}}}`, which is not a measure of this rule"),
                        ex.span().start,
                    )
                };
                Some((
                    template(&ex.get_ref().zh, &locals).map_err(bad)?,
                    template(&ex.get_ref().en, &locals).map_err(bad)?,
                ))
            }
        };
        let veto_instead = match &f.veto_instead {
            None => None,
            Some(v) => {
                let at = v.span().start;
                if f.kind != RuleKind::Deduction {
                    return Err(self.err(
                        ErrorKind::InvalidValue,
                        "only a deduction takes `veto_instead`",
                        at,
                    ));
                }
                let name = v.get_ref();
                match self.rule_ix.get(name.as_str()).copied() {
                    Some(i) if done.get(i).is_some_and(|r| r.kind == RuleKind::Veto) => Some(i),
                    Some(_) => {
                        return Err(self.err(
                            ErrorKind::InvalidValue,
                            format!("`veto_instead` names `{name}`, which is not a veto"),
                            at,
                        ));
                    }
                    None => {
                        let ids: Vec<&str> = done.iter().map(|r| &*r.id).collect();
                        let e = self.err(
                            ErrorKind::UnknownName,
                            format!(
                                "`veto_instead` names `{name}`, which is no veto listed before this rule"
                            ),
                            at,
                        );
                        return Err(match closest(name, ids.iter().copied()) {
                            Some(c) => e.with_help(format!("did you mean `{c}`?")),
                            None => e,
                        });
                    }
                }
            }
        };
        let empty = || Text::new("", "");
        Ok(Rule {
            id: Arc::from(f.id.as_str()),
            kind: f.kind,
            indicator,
            title: f.title.clone(),
            checkpoint: f.checkpoint.clone().unwrap_or_else(empty),
            criteria: f.criteria.clone().unwrap_or_else(empty),
            clause: Arc::from(f.clause.as_str()),
            confidence: Arc::from(f.confidence.as_str()),
            measures: locals.clone(),
            applies,
            review,
            first: f.combine == Combine::First,
            cap: f.cap.map(|c| c.0),
            veto_instead,
            meta: Arc::new(RuleMeta {
                measures: locals
                    .iter()
                    .map(|(n, g)| {
                        (
                            n.clone(),
                            self.measures.get(*g).map_or(facts::Unit::Count, |(d, _)| d.unit),
                        )
                    })
                    .collect(),
                cases: cases
                    .iter()
                    .map(|c: &Case| CaseMeta {
                        label: c.label.clone(),
                        when: c.when.as_ref().map(|w| w.src.clone()),
                    })
                    .collect(),
                cap: f.cap.and_then(|c| crate::model::ratio::Points::from_ratio(c.0)),
                measure_ix: locals.iter().map(|(_, g)| *g).collect(),
                explain,
                title: f.title.clone(),
                indicator: IndicatorPath {
                    id: indicators
                        .get(indicator)
                        .map_or_else(|| Arc::from(""), |i| i.id.clone()),
                    zh: [
                        indicators
                            .get(indicator)
                            .map_or_else(|| Arc::from(""), |i| i.title.zh.clone()),
                        f.title.zh.clone(),
                    ],
                    en: [
                        indicators
                            .get(indicator)
                            .map_or_else(|| Arc::from(""), |i| i.title.en.clone()),
                        f.title.en.clone(),
                    ],
                },
                checkpoint: f.checkpoint.clone().unwrap_or_else(empty),
                criteria: f.criteria.clone().unwrap_or_else(empty),
                clause: Arc::from(f.clause.as_str()),
                confidence: Arc::from(f.confidence.as_str()),
            }),
            cases,
        })
    }

    pub(super) fn number(&self, v: &PackValue, at: usize) -> Result<Ratio, Error> {
        match v {
            PackValue::Int(n) => Ok(Ratio::int(*n)),
            PackValue::Float(f) => Ratio::from_written_f64(*f)
                .ok_or_else(|| self.err(ErrorKind::InvalidValue, "invalid number", at)),
            v => Err(self.err(
                ErrorKind::InvalidType,
                format!("expected a number, not {}", v.kind()),
                at,
            )),
        }
    }
}
