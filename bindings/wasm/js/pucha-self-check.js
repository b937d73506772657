// <pucha-self-check>: a self-check form that mirrors the 评分表 rows and scores live as the operator types.
// No framework: a custom element with an open shadow root, Chinese by default (attribute `lang="en"` or the
// toggle for English). Embed with one script tag:
//   <script type="module" src=".../pucha-self-check.js"></script>
//   <pucha-self-check pack="census-2015"></pucha-self-check>
// Every number entered goes to the engine as a flat record (the documented flat column names), so the widget,
// the CLI, Python and the test vectors all score through the same core.
import { init, Engine, PuchaError, explain, packs } from './index.js';
import { initRender, renderReport } from './render.js';
// index.js imports these two; naming them here too lets the browser fetch them alongside index.js instead of after
// it (a module graph two levels deep, not three), and the WebAssembly fetch below starts when the graph has loaded.
import './pucha_wasm.js';
import './api.js';

const T = (zh, en) => ({ zh, en });

// How long the form waits for the engine before it is shown anyway (with a loading note), on slow connections.
const SHELL_GRACE_MS = 500;
// The largest observation file imported: the core's input limit (pucha_core::MAX_INPUT_BYTES, 256 MiB).
const MAX_IMPORT_BYTES = 256 * 1024 * 1024;

// Start fetching and compiling the WebAssembly module as soon as this script runs, before any element connects. A
// failed fetch says which file and why (HTTP status or network error), for the widget to show in its language.
const WASM_URL = new URL('./pucha_wasm_bg.wasm', import.meta.url);
// Browsers without WebAssembly (an IE-kernel 兼容模式 never gets this far: it runs no modules, and shows the
// element's own fallback text) are told so by the widget, not with a blank form.
const HAS_WASM = typeof WebAssembly === 'object' && WebAssembly !== null && typeof WebAssembly.instantiate === 'function';
const wasmReady = !HAS_WASM
  ? Promise.reject(new Error('WebAssembly is not available in this browser'))
  : init(
      fetch(WASM_URL).then(
        (r) => {
          if (!r.ok) throw new Error(`${WASM_URL.pathname}: HTTP ${r.status}`);
          return r;
        },
        (e) => {
          throw new Error(`${WASM_URL.pathname}: ${e && e.message ? e.message : e}`);
        },
      ),
    );
// Each element reports the failure itself; a page without one gets no unhandled rejection.
wasmReady.catch(() => {});

/** The form: sections in the order of the 评分表, each field a documented flat column. */
export const SECTIONS = [
  {
    id: 'site',
    title: T('网站基本信息', 'Site'),
    fields: [
      { name: 'site.name', type: 'text', label: T('网站名称', 'Site name') },
      { name: 'site.url', type: 'text', label: T('首页网址', 'Homepage URL'), input: 'url' },
      { name: 'site.id', type: 'text', label: T('网站标识码', 'Site code (网站标识码)') },
      {
        name: 'site.kind',
        type: 'choice',
        label: T('网站类型', 'Site kind'),
        choices: [
          ['portal', T('政府门户网站', 'Government portal')],
          ['other', T('部门及其他网站', 'Department or other site')],
        ],
      },
      { name: 'monitoring_point', type: 'date', label: T('监测时间点', 'Monitoring point') },
      { name: 'site.homepage_navigation_only', type: 'flag', label: T('首页仅为导航页', 'Homepage only navigates') },
    ],
  },
  {
    id: 'availability',
    title: T('网站可用性', 'Website availability'),
    fields: [
      { name: 'availability.visits', type: 'count', label: T('1 周内首页访问次数', 'Homepage visits in the week') },
      {
        name: 'availability.failures',
        type: 'count',
        label: T('其中失败次数（15 秒内未打开）', 'Of which failed (not open within 15 s)'),
      },
      { name: 'links.homepage_broken', type: 'count', label: T('首页不可用链接数', 'Broken links on the homepage') },
      { name: 'links.other_broken', type: 'count', label: T('其他页面不可用链接数', 'Broken links on other pages') },
    ],
  },
  {
    id: 'updates',
    title: T('信息更新情况', 'Information updates'),
    fields: [
      {
        name: 'homepage.updates_in_window',
        type: 'count',
        label: T('2 周内首页栏目新信息条数', 'New homepage items in the last 2 weeks'),
      },
      {
        name: 'columns.stale.dynamics',
        type: 'count',
        label: T('2 周内未更新的动态、要闻类栏目数', 'News columns with nothing new in 2 weeks'),
      },
      {
        name: 'columns.stale.notice',
        type: 'count',
        label: T('6 个月未更新的通知公告类栏目数', 'Notice columns with nothing new in 6 months'),
      },
      {
        name: 'columns.stale.policy',
        type: 'count',
        label: T('6 个月未更新的政策文件类栏目数', 'Policy columns with nothing new in 6 months'),
      },
      {
        name: 'columns.stale.personnel',
        type: 'count',
        label: T('1 年未更新的人事信息类栏目数', 'Personnel columns with nothing new in a year'),
      },
      {
        name: 'columns.stale.plan',
        type: 'count',
        label: T('1 年未更新的规划计划类栏目数', 'Planning columns with nothing new in a year'),
      },
      {
        name: 'columns.overdue',
        type: 'count',
        label: T('超过更新周期未更新的其他应更新栏目数', 'Other should-update columns past their cycle'),
      },
      { name: 'columns.blank', type: 'count', label: T('空白栏目数', 'Blank columns') },
      {
        name: 'columns.inaccurate',
        type: 'count',
        label: T('基本信息中不准确的信息条数', 'Inaccurate items of basic information'),
      },
    ],
  },
  {
    id: 'interaction',
    title: T('互动回应情况', 'Interaction and response'),
    fields: [
      { name: 'interaction.consultation.exists', type: 'flag', label: T('设有政务咨询类栏目', 'Has a consultation column') },
      { name: 'interaction.consultation.usable', type: 'flag', label: T('政务咨询栏目可正常使用', 'Consultation column works') },
      {
        name: 'interaction.consultation.valid_messages',
        type: 'count',
        label: T('1 年内有效留言条数', 'Valid messages in the year'),
      },
      {
        name: 'interaction.consultation.overdue_messages',
        type: 'count',
        label: T('超过 3 个月未回应的留言条数', 'Messages unanswered for over 3 months'),
      },
      { name: 'interaction.survey.exists', type: 'flag', label: T('设有调查征集类栏目', 'Has a survey column') },
      { name: 'interaction.survey.usable', type: 'flag', label: T('调查征集栏目可正常使用', 'Survey column works') },
      {
        name: 'interaction.survey.activities',
        type: 'count',
        label: T('1 年内调查征集活动次数', 'Survey activities in the year'),
      },
      { name: 'interaction.interview.exists', type: 'flag', label: T('设有互动访谈类栏目', 'Has an interview column') },
      { name: 'interaction.interview.usable', type: 'flag', label: T('互动访谈栏目可正常使用', 'Interview column works') },
      {
        name: 'interaction.interview.activities',
        type: 'count',
        label: T('1 年内访谈次数', 'Interviews in the year'),
      },
    ],
  },
  {
    id: 'services',
    title: T('服务实用情况', 'Practical services'),
    fields: [
      {
        name: 'services.missing_element_categories',
        type: 'count',
        label: T('办事指南缺少的要素类别数（0–8）', 'Guide element categories missing (0–8)'),
      },
      {
        name: 'services.inaccurate_elements',
        type: 'count',
        label: T('办事指南中不准确的要素数', 'Inaccurate guide elements'),
      },
      {
        name: 'services.attachments_not_offered',
        type: 'count',
        label: T('提及但未提供下载的表格、附件数', 'Forms mentioned but not offered'),
      },
      { name: 'services.attachments_broken', type: 'count', label: T('无法下载的附件数', 'Attachments that fail to download') },
      {
        name: 'services.online_systems_unreachable',
        type: 'count',
        label: T('无法访问的在线办事系统数', 'Online service systems unreachable'),
      },
    ],
  },
  {
    id: 'content',
    title: T('严重错误', 'Serious errors'),
    fields: [
      {
        name: 'content.confirmed',
        type: 'count',
        label: T('已确认的严重错误数（严重错别字、虚假或违法内容）', 'Confirmed serious errors (typos, false or illegal content)'),
      },
      {
        name: 'content.unconfirmed',
        type: 'count',
        label: T('待人工复核的疑似问题数', 'Suspected problems awaiting review'),
      },
    ],
  },
];

// One line under each field: how to get its number, and where `pucha probe` or `pucha monitor` gets it.
const STALE_HINT = T(
  '最新信息早于时间窗口的此类栏目数；pucha probe 读栏目列表页上的日期',
  "columns of this kind whose newest item is older than the window; pucha probe reads the list pages' dates",
);
const HINTS = {
  'site.name': T('按附件3填写的网站名称', "as on the site's 附件3 form"),
  'site.url': T('首页地址；pucha probe 从这里开始检查', 'the homepage; pucha probe starts here'),
  'site.id': T('网站标识码，见网站页脚', "the site code, in the site's footer"),
  'site.kind': T('门户网站与其他网站的扣分标准不同', 'portals and other sites are scored differently'),
  monitoring_point: T('检查的截止日，各时间窗口由此往前算', 'the checking day; every window counts back from it'),
  'site.homepage_navigation_only': T('首页只有导航时，按二级页面的栏目看更新', 'updates are then read from the second-level pages'),
  'availability.visits': T('1 周内每天至少 20 次访问首页；pucha monitor 记录每一次', 'at least 20 visits a day for a week; pucha monitor records each'),
  'availability.failures': T('15 秒内未打开的次数；pucha monitor 记录', 'visits not loaded within 15 s; pucha monitor records them'),
  'links.homepage_broken': T('首页上打不开的链接、图片和附件；pucha probe 逐个检查', 'links, images and attachments on the homepage that fail; pucha probe checks each'),
  'links.other_broken': T('其他页面上打不开的链接；pucha probe 抓取各页检查', 'the same on the other pages; pucha probe crawls them'),
  'homepage.updates_in_window': T('首页栏目 2 周内发布的信息条数（按页面上的日期）；pucha probe 读取', 'homepage items dated in the last 2 weeks; pucha probe reads the dates'),
  'columns.overdue': T('应按附件4的更新周期更新而未更新的栏目数', 'columns past the update cycle their 附件4 row gives'),
  'columns.blank': T('没有任何信息的栏目数；pucha probe 会发现', 'columns with no items at all; pucha probe finds them'),
  'columns.inaccurate': T('机构、领导等基本信息不准确的处数（人工核对）', 'inaccurate basic facts such as offices and leaders (checked by hand)'),
  'interaction.consultation.valid_messages': T('1 年内的有效留言条数（留言列表页）', 'valid messages in the year (the message list)'),
  'interaction.consultation.overdue_messages': T('超过 3 个月未答复的留言条数', 'messages left unanswered for more than 3 months'),
  'interaction.survey.activities': T('1 年内开展的调查征集次数', 'surveys held in the year'),
  'interaction.interview.activities': T('1 年内的在线访谈次数', 'online interviews held in the year'),
  'services.missing_element_categories': T('办事指南缺少的要素类别数（共 8 类）；pucha probe 查看指南页', 'of the 8 categories; pucha probe reads the guide pages'),
  'services.inaccurate_elements': T('办事指南中不准确的要素处数（人工核对）', 'inaccurate guide elements (checked by hand)'),
  'services.attachments_not_offered': T('指南中提到、却没有提供下载的表格数', 'forms a guide mentions but does not offer'),
  'services.attachments_broken': T('下载失败的附件数；pucha probe 逐个下载', 'attachments that fail to download; pucha probe fetches each'),
  'services.online_systems_unreachable': T('打不开的在线办事系统数', 'online service systems that do not open'),
  'content.confirmed': T('已核实的严重错别字、虚假或违法内容', 'confirmed serious typos, false or illegal content'),
  'content.unconfirmed': T('pucha probe 发现的疑似严重错误，待人工复核', 'suspected by pucha probe, awaiting review'),
};

function hintFor(name) {
  if (HINTS[name]) return HINTS[name];
  if (name.startsWith('columns.stale.')) return STALE_HINT;
  if (/^interaction\.\w+\.(exists|usable)$/.test(name)) return T('人工查看栏目是否存在、能否使用', 'checked by hand: is the column there, does it work');
  return null;
}

// The hand-in fields of the 上报表, as `renderReport` names them.
const SIGN_FIELDS = ['unit', 'authority', 'head', 'reviewer', 'filler', 'phone', 'date'];

// A site's name as part of a file name.
function safeName(s) {
  return String(s).replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').slice(0, 60);
}

// Fields counted together: the engine takes both or neither.
const PAIRS = [['availability.visits', 'availability.failures']];

// The observation's parts and fields as a report names them: the core's words (pucha_core::words::field_words),
// copied here because the main module has no room for them; the form's own labels come first.
const PARTS = {
  'availability.samples': T('首页访问记录', 'homepage visit records'),
  'availability.visits': T('首页访问', 'homepage visits'),
  'availability.failures': T('首页访问失败', 'failed homepage visits'),
  'availability.days': T('监测天数', 'days monitored'),
  'availability': T('首页可用性监测记录', 'homepage availability records'),
  'links.homepage_broken': T('首页错链', 'broken links on the homepage'),
  'links.other_broken': T('其他页面错链', 'broken links on other pages'),
  'links.checked': T('已检查链接', 'links checked'),
  'links.broken': T('错链记录', 'broken-link records'),
  'links': T('链接检查结果', 'link check results'),
  'homepage.updates_in_window': T('首页新信息', 'new homepage items'),
  'homepage': T('首页栏目信息', 'homepage column items'),
  'columns.stale.dynamics': T('未更新的动态要闻类栏目', 'stale news columns'),
  'columns.stale.notice': T('未更新的通知公告类栏目', 'stale notice columns'),
  'columns.stale.policy': T('未更新的政策文件类栏目', 'stale policy columns'),
  'columns.stale.plan': T('未更新的规划计划类栏目', 'stale plan columns'),
  'columns.stale.personnel': T('未更新的人事信息类栏目', 'stale personnel columns'),
  'columns.blank': T('空白栏目', 'blank columns'),
  'columns.overdue': T('应更新未更新的栏目', 'should-update columns not updated'),
  'columns.inaccurate': T('不准确的基本信息', 'inaccurate basic information'),
  'columns': T('栏目信息', 'column information'),
  'interaction.consultation.valid_messages': T('有效留言', 'valid messages'),
  'interaction.consultation.overdue_messages': T('超过 3 个月未回应的留言', 'messages unanswered over 3 months'),
  'interaction.consultation.answers_in_window': T('期内答复', 'answers in the window'),
  'interaction.consultation.messages': T('留言记录', 'message records'),
  'interaction.consultation': T('政务咨询类栏目', 'the consultation column'),
  'interaction.survey.activities': T('调查征集活动', 'survey activities'),
  'interaction.survey': T('调查征集类栏目', 'the survey column'),
  'interaction.interview.activities': T('在线访谈', 'online interviews'),
  'interaction.interview': T('互动访谈类栏目', 'the interview column'),
  'interaction': T('互动回应信息', 'interaction information'),
  'services.guide_count': T('办事指南', 'service guides'),
  'services.guides': T('办事指南', 'service guides'),
  'services.missing_element_categories': T('办事指南缺少的要素类别', 'missing guide element categories'),
  'services.inaccurate_elements': T('办事指南不准确的要素', 'inaccurate guide elements'),
  'services.attachments_not_offered': T('提及但未提供的表格附件', 'forms mentioned but not offered'),
  'services.attachments_broken': T('无法下载的附件', 'attachments that cannot be downloaded'),
  'services.online_system_count': T('在线办事系统', 'online systems'),
  'services.online_systems_unreachable': T('无法访问的在线办事系统', 'unreachable online systems'),
  'services.online_systems': T('在线办事系统', 'online systems'),
  'services': T('办事服务信息', 'service information'),
  'content_findings': T('内容检查结果', 'content check results'),
  'content.confirmed': T('已确认的严重错误', 'confirmed serious errors'),
  'content.unconfirmed': T('待复核的内容问题', 'findings to review'),
  'content': T('内容检查结果', 'content check results'),
  'site.kind': T('网站类型', "the site's kind"),
  'site.homepage_navigation_only': T('首页是否为导航页', 'whether the homepage only navigates'),
  'site.offers_services': T('是否提供对外服务', 'whether the site offers services'),
  'default_cycle': T('应更新栏目的更新周期', 'the update cycle of should-update columns'),
  'window': T('监测窗口', 'the monitoring window'),
};

// A field path as the form labels it (`interaction.consultation.valid_messages` → 1 年内有效留言条数), else the path.
function fieldLabel(path, L) {
  if (!path) return '';
  const bare = String(path).replace(/\[\d+\]/g, '');
  for (const s of SECTIONS) for (const f of s.fields) if (f.name === bare) return f.label[L];
  return PARTS[bare] ? PARTS[bare][L] : bare;
}

// An explanation with the field paths it names put as the form labels them: the list after 缺少数据 / missing
// data, and any dotted path the form has a field for.
function labelled(text, L) {
  return String(text)
    .replace(/(缺少数据：|missing data: )([a-z_.\[\]0-9]+(?:(?:、|, )[a-z_.\[\]0-9]+)*)/g, (m, lead, list) =>
      lead + list.split(/、|, /).map((p) => fieldLabel(p, L)).join(L === 'zh' ? '、' : ', '),
    )
    .replace(/\b[a-z_]+(?:\.[a-z_]+)+\b/g, (p) => fieldLabel(p, L));
}

// What the engine refused in a field, in the form's language: the words for its code and field, never the code.
const ERROR_WORDS = {
  inconsistent: {
    'availability.failures': T('失败次数多于访问次数', 'more failed visits than visits'),
    'interaction.consultation.overdue_messages': T('超期未答复的留言多于有效留言', 'more overdue messages than valid ones'),
    '': T('与其他字段矛盾', 'contradicts another field'),
  },
  invalid_value: { '': T('应为非负整数', 'a whole number ≥ 0 is expected') },
  invalid_type: { '': T('应为非负整数', 'a whole number ≥ 0 is expected') },
  invalid_date: { '': T('日期写作 YYYY-MM-DD，须为真实存在的日期', 'write a real date as YYYY-MM-DD') },
  missing_field: { '': T('此项须填写', 'this field is needed') },
  too_large: { '': T('数值过大', 'the number is too large') },
};

function errorWords(e, L) {
  const byCode = ERROR_WORDS[e.code];
  const w = byCode && (byCode[String(e.path || '').replace(/\[\d+\]/g, '')] || byCode['']);
  if (w) return w[L];
  return e.message || (L === 'zh' ? '输入有误' : 'invalid input');
}

const UI = {
  zh: {
    heading: (t) => `政府网站自查（${t}）`,
    print: '打印上报表',
    exportXlsx: '导出 Excel',
    exportHtml: '导出 HTML 上报表',
    sign: '上报信息（填入上报表的签章栏，可不填）',
    signFields: {
      unit: '填报单位',
      authority: '网站主管单位',
      head: '单位负责人',
      reviewer: '审核人',
      filler: '填报人',
      phone: '联系电话',
      date: '填报日期',
    },
    clearConfirm: '清空表单和保存的草稿？此操作不能撤销。',
    noWasm: '此浏览器不支持 WebAssembly，无法运行自查组件：请用新版 Chrome、Edge、Firefox、Safari，或国产浏览器的极速模式（不用兼容模式）。',
    failAbove: (t) => `扣分超过 ${t} 分为不合格`,
    failBelow: (t) => `得分低于 ${t} 分为不合格`,
    partial: '部分规则包：只含评分表的部分指标，结果只就这些指标而言',
    renderError: (m) => `无法生成上报表：${m}`,
    intro: '按评分表逐项填写已知情况，结果随输入即时更新。留空表示“未检查”，不按 0 计算。',
    toggle: 'English',
    toggleLabel: '切换为英文',
    import: '导入观测 JSON',
    export: '导出观测 JSON',
    exportReport: '导出评分报告 JSON',
    clear: '清空',
    yes: '是',
    no: '否',
    unknown: '未填',
    loading: '正在加载评分引擎…',
    loadError: (m) => `无法加载评分引擎（${m}）`,
    pass: '合格',
    fail: '不合格',
    undetermined: '未评定',
    score: '得分',
    deduction: '扣分',
    vetoed: '单项否决',
    incomplete: (n) => `${n} 项缺少数据（未填写），结果仅供参考。`,
    complete: '各项数据齐全。',
    imported: '已载入导入的观测，按其中的证据评分；表单中的数字由证据得出（只读）。要改动，需先确认改为按手填计数评分。',
    override: '改为按手填计数评分？导入的原始证据将不再用于评分；与证据不同的数字会记录在导出的观测中。',
    importError: (m) => `无法导入：${m}`,
    inputError: '请修改标红的字段：',
    cols: ['一级指标', '二级指标', '考察点', '扣分细则', '存在的问题', '扣分'],
    status: { applied: '', passed: '', no_data: '未填写', needs_review: '待复核', not_applicable: '不适用' },
    vetoCell: '否决',
    notCounted: '（否决后不计）',
    caption: '评分结果',
    warnings: '提示',
    pack: '评分表',
  },
  en: {
    heading: (t) => `Government website self-check (${t})`,
    print: 'Print the 上报表',
    exportXlsx: 'Export Excel',
    exportHtml: 'Export HTML 上报表',
    sign: 'Hand-in (the 上报表\'s signature lines; optional)',
    signFields: {
      unit: 'Reporting unit',
      authority: 'Authority',
      head: 'Head of unit',
      reviewer: 'Reviewed by',
      filler: 'Filled in by',
      phone: 'Phone',
      date: 'Date',
    },
    clearConfirm: 'Clear the form and the saved draft? This cannot be undone.',
    noWasm: "This browser has no WebAssembly, which the self-check needs: use a current Chrome, Edge, Firefox or Safari, or a Chinese browser's fast mode (not its compatibility mode).",
    failAbove: (t) => `more than ${t} points deducted fails`,
    failBelow: (t) => `a score below ${t} fails`,
    partial: 'partial pack: part of the table only; the result covers those items',
    renderError: (m) => `Cannot make the 上报表: ${m}`,
    intro: 'Fill in what you know, row by row; the result updates as you type. A blank field means "not checked", not zero.',
    toggle: '中文',
    toggleLabel: 'Switch to Chinese',
    import: 'Import observation JSON',
    export: 'Export observation JSON',
    exportReport: 'Export report JSON',
    clear: 'Clear',
    yes: 'Yes',
    no: 'No',
    unknown: 'Not given',
    loading: 'Loading the scoring engine…',
    loadError: (m) => `Could not load the scoring engine (${m})`,
    pass: 'Pass (合格)',
    fail: 'Fail (不合格)',
    undetermined: 'Undetermined (未评定)',
    score: 'Score',
    deduction: 'Deductions',
    vetoed: 'Veto',
    incomplete: (n) => `${n} rules lack data (fields left blank); the result is indicative only.`,
    complete: 'All rules have data.',
    imported: "Scoring the imported observation's evidence; the form shows the counts it gives (read-only). To change one, first confirm switching to typed counts.",
    override: "Switch to typed counts? The imported raw evidence will no longer be scored; counts that differ from the evidence are recorded in the exported observation.",
    importError: (m) => `Cannot import: ${m}`,
    inputError: 'Please correct the highlighted field:',
    cols: ['Indicator', 'Item', 'Checkpoint', 'Criteria', 'Findings', 'Points'],
    status: { applied: '', passed: '', no_data: 'no data', needs_review: 'to review', not_applicable: 'n/a' },
    vetoCell: 'veto',
    notCounted: ' (not counted after a veto)',
    caption: 'Result',
    warnings: 'Notes',
    pack: 'Table',
  },
};

const STYLE = `
:host { display: block; container-type: inline-size;
  font: 15px/1.5 system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", sans-serif;
  color: #1d2433; --accent: #b4232a; --ok: #11734b; --bad: #b4232a; --line: #d5d9e2; --soft: #f4f6fa; }
* { box-sizing: border-box; }
h2 { font-size: 1.25rem; margin: 0 0 .25rem; }
p { margin: .25rem 0; }
.bar { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: .75rem 0; }
button, .file { font: inherit; padding: .4rem .8rem; border: 1px solid var(--line); border-radius: 6px; background: #fff;
  color: inherit; cursor: pointer; min-height: 2.5rem; }
button:hover, .file:hover { border-color: #7a8499; }
button:focus-visible, input:focus-visible, select:focus-visible, .file:focus-within { outline: 3px solid #2f6fde; outline-offset: 1px; }
.file input { position: absolute; width: 1px; height: 1px; opacity: 0; }
.file { position: relative; display: inline-flex; align-items: center; }
form { display: grid; gap: .75rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 20rem), 1fr)); }
fieldset { border: 1px solid var(--line); border-radius: 8px; padding: .5rem .75rem .75rem; margin: 0; min-width: 0; }
legend { font-weight: 600; padding: 0 .25rem; }
.field { display: grid; grid-template-columns: 1fr 8.5rem; gap: .5rem; align-items: center; margin-top: .4rem; }
.field.wide { grid-template-columns: 1fr; }
.field label { font-size: .92rem; }
input, select { font: inherit; width: 100%; padding: .35rem .5rem; border: 1px solid #aab2c2; border-radius: 5px; background: #fff;
  min-height: 2.4rem; }
input[aria-readonly="true"], select[aria-readonly="true"] { background: var(--soft); color: #3a4356; }
input[aria-invalid="true"], select[aria-invalid="true"] { border-color: var(--bad); background: #fff4f4; }
.result { margin-top: 1rem; }
.result[data-stale] .summary, .result[data-stale] .table, .result[data-stale] [data-note="complete"] { opacity: .45; filter: grayscale(1); }
.verdict { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: baseline; padding: .75rem 1rem; border-radius: 8px;
  background: var(--soft); border-left: 6px solid var(--ok); }
.verdict.fail { border-left-color: var(--bad); }
.verdict.undetermined { border-left-color: #8a93a6; }
.badge { font-size: 1.5rem; font-weight: 700; color: var(--ok); }
.fail .badge { color: var(--bad); }
.undetermined .badge { color: #4a5366; }
.num { font-size: 1.1rem; }
.note { margin: .5rem 0; color: #4a5366; }
.errors { color: var(--bad); margin: .5rem 0; }
.errors:empty, .note:empty { display: none; }
table { border-collapse: collapse; width: 100%; margin-top: .75rem; font-size: .92rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid var(--line); padding: .4rem .5rem; vertical-align: top; text-align: left; }
thead th { background: var(--soft); }
th[scope="rowgroup"] { min-width: 5.5em; }
tbody td:first-of-type { min-width: 6.5em; }
td.pts { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr[data-status="applied"] td.pts { color: var(--bad); font-weight: 600; }
tr[data-status="applied"][data-kind="veto"] td.why { color: var(--bad); font-weight: 600; }
.chip { display: inline-block; font-size: .8rem; padding: 0 .4rem; border-radius: 4px; background: #e8ebf2; margin-left: .25rem; }
.hint { grid-column: 1 / -1; color: #5b6477; font-size: .8rem; line-height: 1.35; margin-top: -.2rem; }
.sign { margin-top: .75rem; border: 1px solid var(--line); border-radius: 8px; padding: .5rem .75rem; }
.sign summary { cursor: pointer; font-weight: 600; }
.sign-fields { display: grid; gap: 0 1rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 20rem), 1fr)); }
@media print { .bar, form, .sign, .errors { display: none; } }
[data-out="bar"] { display: none; }
@container (max-width: 40rem) {
  /* While typing on a phone, the verdict stays in sight at the top. */
  [data-out="bar"]:not(:empty) { display: flex; gap: .75rem; align-items: baseline; position: sticky; top: 0; z-index: 2;
    margin: 0 -.25rem .5rem; padding: .4rem .75rem; background: #fff; border-bottom: 2px solid var(--line);
    box-shadow: 0 2px 6px rgba(0, 0, 0, .08); }
  [data-out="bar"] .badge { font-size: 1.1rem; }
  [data-out="bar"] .badge.fail { color: var(--bad); }
  [data-out="bar"] .badge.undetermined { color: #4a5366; }
  caption { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  /* A row without data is one line: its title and 未填写; the rest of its card is folded away. */
  tr[data-status="no_data"] > td:not(:first-of-type), tr[data-status="no_data"] > th { display: none; }
  .field { grid-template-columns: 1fr; gap: .2rem; }
  table, thead, tbody, tr, th, td { display: block; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  tr { border: 1px solid var(--line); border-radius: 6px; margin-bottom: .5rem; }
  td, th { border: 0; border-bottom: 1px solid #eef0f5; }
  td::before, th[scope="rowgroup"]::before { content: attr(data-label) "："; font-weight: 600; }
  td.pts { text-align: left; }
}
`;

const escapeHtml = (s) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

// Today's date in China (UTC+8 all year; no daylight saving since 1991). Plain arithmetic rather than
// `Intl.DateTimeFormat` with a time zone: that needs the browser's time-zone data (absent in some builds) and loads
// it on first use, which a CPU profile of the first page load showed as the widget's costliest JavaScript call.
function todayInChina() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/** What a fresh form holds: the operator's own portal, checked today. */
function defaultValues() {
  return { monitoring_point: todayInChina(), 'site.kind': 'portal' };
}

// A date input cannot show an impossible date (the engine reports it instead).
function isRealDate(s) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function fmtPoints(p) {
  return Number.isInteger(p) ? String(p) : p.toFixed(1);
}

/** The flat record an observation's counted fields stand for (what the form can show of it). */
export function observationToRecord(obs) {
  const rec = {};
  const put = (name, v) => {
    if (v !== undefined && v !== null && typeof v !== 'object') rec[name] = v;
  };
  // A timestamp's own date (`2015-06-30T18:00:00+08:00` → 2015-06-30): the day the form's date field holds.
  const point = obs.monitoring_point;
  put('monitoring_point', typeof point === 'string' && /^\d{4}-\d{2}-\d{2}/.test(point) ? point.slice(0, 10) : point);
  for (const k of ['name', 'url', 'id', 'kind', 'homepage_navigation_only']) put(`site.${k}`, obs.site?.[k]);
  put('availability.visits', obs.availability?.visits);
  put('availability.failures', obs.availability?.failures);
  put('links.homepage_broken', obs.links?.homepage_broken);
  put('links.other_broken', obs.links?.other_broken);
  put('homepage.updates_in_window', obs.homepage?.updates_in_window);
  for (const ch of ['consultation', 'survey', 'interview']) {
    const c = obs.interaction?.[ch];
    if (!c) continue;
    put(`interaction.${ch}.exists`, c.exists);
    put(`interaction.${ch}.usable`, c.usable);
    if (ch === 'consultation') {
      put('interaction.consultation.valid_messages', c.valid_messages);
      put('interaction.consultation.overdue_messages', c.overdue_messages);
    } else if (typeof c.activities === 'number') {
      put(`interaction.${ch}.activities`, c.activities);
    }
  }
  for (const k of [
    'missing_element_categories',
    'inaccurate_elements',
    'attachments_not_offered',
    'attachments_broken',
    'online_systems_unreachable',
  ]) {
    put(`services.${k}`, obs.services?.[k]);
  }
  return rec;
}

// The form field each measure of census-2015's rules fills when an imported observation holds raw evidence (the
// counts the engine derived: `observed` in the report). Where the evidence counts two categories together (通知公告
// with 政策文件, 人事 with 规划计划), the form shows the sum in the first and 0 in the second, as the rules add them.
const EVIDENCE = {
  'homepage-availability': { visits: 'availability.visits', failures: 'availability.failures' },
  'link-availability': { homepage_broken: 'links.homepage_broken', other_broken: 'links.other_broken' },
  'homepage-updates': { updates: 'homepage.updates_in_window' },
  'columns-not-updated': { blank: 'columns.blank', long_stale: 'columns.overdue' },
  'basic-info': {
    inaccurate: 'columns.inaccurate',
    news_stale: 'columns.stale.dynamics',
    notice_stale: ['columns.stale.notice', 'columns.stale.policy'],
    plan_stale: ['columns.stale.plan', 'columns.stale.personnel'],
  },
  'serious-error': { confirmed: 'content.confirmed', unconfirmed: 'content.unconfirmed' },
  'poor-response': { overdue: 'interaction.consultation.overdue_messages' },
  consultation: { exists: 'interaction.consultation.exists', valid: 'interaction.consultation.valid_messages' },
  survey: { exists: 'interaction.survey.exists', usable: 'interaction.survey.usable', activities: 'interaction.survey.activities' },
  interview: {
    exists: 'interaction.interview.exists',
    usable: 'interaction.interview.usable',
    activities: 'interaction.interview.activities',
  },
  'service-guides': { missing: 'services.missing_element_categories', inaccurate: 'services.inaccurate_elements' },
  downloads: { broken: 'services.attachments_broken', not_offered: 'services.attachments_not_offered' },
  'online-systems': { unreachable: 'services.online_systems_unreachable' },
};

/** The form's record of what a report observed: the counts derived from an imported observation's evidence. */
export function evidenceRecord(report) {
  const rec = {};
  for (const rule of report.rules || []) {
    const map = EVIDENCE[rule.id];
    if (!map || !rule.observed) continue;
    for (const [measure, field] of Object.entries(map)) {
      const v = rule.observed[measure];
      if (v === undefined || v === null) continue;
      if (Array.isArray(field)) {
        rec[field[0]] = v;
        rec[field[1]] = 0;
      } else {
        rec[field] = v;
      }
    }
  }
  return rec;
}

/** The custom element. */
export class PuchaSelfCheck extends HTMLElement {
  static get observedAttributes() {
    return ['lang', 'pack'];
  }

  constructor() {
    super();
    this._root = this.attachShadow({ mode: 'open' });
    this._engine = null;
    this._imported = null;
    this._report = null;
    this._observation = null;
    this._uid = `pucha-${Math.random().toString(36).slice(2, 8)}`;
    /** Milliseconds of the last scoring (`score`: engine call; `render`: updating the page). */
    this.lastTiming = null;
    this.ready = new Promise((resolve, reject) => {
      this._resolveReady = resolve;
      this._rejectReady = reject;
    });
    // A failed load is shown in the widget; a page that does not wait for `ready` gets no unhandled rejection.
    this.ready.catch(() => {});
  }

  get lang() {
    return this.getAttribute('lang') === 'en' ? 'en' : 'zh';
  }

  set lang(v) {
    this.setAttribute('lang', v === 'en' ? 'en' : 'zh');
  }

  /** The last report (`pucha.report/1`). */
  get report() {
    return this._report;
  }

  /** The observation behind the last report. */
  get observation() {
    return this._observation;
  }

  connectedCallback() {
    if (this._built) return;
    this._built = true;
    const t0 = performance.now();
    performance.mark('pucha:init');
    // The form is laid out once, together with its first score, when the engine is ready: laying it out before
    // (a long task for a page of Chinese labels) would hold up both the page's load event and the module's
    // compilation. Meanwhile a one-line note shows, and the form's markup is parsed off-document.
    this._root.innerHTML = `<p role="status">${this._ui().loading}</p>`;
    this._parsed = this._parseShell();
    const grace = setTimeout(() => this._ensureShell(), SHELL_GRACE_MS);
    wasmReady
      .then(() => {
        clearTimeout(grace);
        performance.mark('pucha:wasm-ready');
        this._makeEngine();
        performance.mark('pucha:engine-ready');
        this._ensureShell();
        this._score();
        performance.mark('pucha:first-score');
        const first = performance.now() - t0;
        this.firstScoreMs = first;
        this.firstScoreAt = performance.now();
        // After the next frame is painted: when the first result is on screen.
        requestAnimationFrame(() => setTimeout(() => performance.mark('pucha:first-paint')));
        this._resolveReady(first);
      })
      .catch((e) => {
        clearTimeout(grace);
        this._ensureShell();
        this._loadError = HAS_WASM ? (e && e.message ? e.message : String(e)) : null;
        this._noWasm = !HAS_WASM;
        this._showLoadError();
        this._rejectReady(e);
      });
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue) return;
    if (!this._shell) {
      // Still loading: the note follows the language; the form is parsed again in it when shown.
      if (name === 'lang' && this._built) this._root.firstElementChild.textContent = this._ui().loading;
      return;
    }
    if (name === 'lang') {
      this._renderShell(true);
      this._show();
      this._showLoadError();
    } else if (name === 'pack' && this._engine) {
      this._makeEngine();
      this._score();
    }
  }

  _makeEngine() {
    const pack = this.getAttribute('pack') || 'census-2015';
    try {
      const next = new Engine(pack);
      if (this._engine) this._engine.free();
      this._engine = next;
    } catch (e) {
      if (e instanceof PuchaError && e.code === 'pack_unavailable' && !this._fullTried) {
        // A built-in pack the main module leaves to the full one: fetch that, then build and score again.
        this._fullTried = true;
        init({ full: true }).then(
          () => {
            if ((this.getAttribute('pack') || 'census-2015') !== pack) return;
            this._makeEngine();
            this._score();
          },
          (err) => this._showErrors([{ message: err && err.message ? err.message : String(err) }]),
        );
        return;
      }
      this._showErrors(e instanceof PuchaError ? e.errors : [{ message: String(e) }]);
    }
  }

  /** Load an observation (object or JSON text) as if imported from a file. */
  setObservation(obs) {
    const o = typeof obs === 'string' ? JSON.parse(obs) : obs;
    this._ensureShell();
    const observation = o && typeof o === 'object' && o.observation && !o.monitoring_point ? o.observation : o;
    this._imported = observation;
    this._evidence = null;
    this._fillForm(observationToRecord(observation || {}));
    this._score();
    if (this._shell) this._saveDraft();
  }

  _ui() {
    return UI[this.lang];
  }

  /** Show the form if it is not shown yet. */
  _ensureShell() {
    if (this._shell) return;
    this._shell = true;
    this._renderShell();
    // The draft this page kept (a reload loses nothing); 清空 drops it.
    const draft = this._loadDraft();
    if (draft) {
      this._fillForm(draft.form);
      for (const el of this._root.querySelectorAll('[data-sign]')) el.value = (draft.sign && draft.sign[el.dataset.sign]) || '';
      if (draft.imported && typeof draft.imported === 'object') this._imported = draft.imported;
    }
  }

  _renderShell(keepValues = false) {
    const values = keepValues ? this._readForm() : null;
    let parsed = this._parsed;
    this._parsed = null;
    if (!parsed || parsed.lang !== this.lang) parsed = this._parseShell();
    this._root.replaceChildren(parsed.content);
    this._wire(values);
  }

  /** The form's markup in the current language, parsed into an inert fragment (no style or layout work yet). */
  _parseShell() {
    const t = document.createElement('template');
    t.innerHTML = this._shellHtml();
    return { lang: this.lang, content: t.content };
  }

  _shellHtml() {
    const ui = this._ui();
    const L = this.lang;
    const id = (n) => `${this._uid}-${n.replace(/\./g, '-')}`;
    // Defaults are written into the markup: setting them on the live form afterwards cost the browser 8–27 ms on
    // a first load here (each control's value set and checked one by one).
    const defaults = defaultValues();
    const value = (f) => (defaults[f.name] === undefined ? '' : ` value="${escapeHtml(defaults[f.name])}"`);
    const field = (f) => {
      const label = `<label for="${id(f.name)}">${escapeHtml(f.label[L])}</label>`;
      let control;
      if (f.type === 'count') {
        control = `<input id="${id(f.name)}" name="${f.name}" type="number" min="0" step="1" inputmode="numeric"${value(f)}>`;
      } else if (f.type === 'date') {
        control = `<input id="${id(f.name)}" name="${f.name}" type="date" required${value(f)}>`;
      } else if (f.type === 'flag') {
        control = `<select id="${id(f.name)}" name="${f.name}"><option value="">${ui.unknown}</option><option value="true">${ui.yes}</option><option value="false">${ui.no}</option></select>`;
      } else if (f.type === 'choice') {
        control = `<select id="${id(f.name)}" name="${f.name}">${f.choices
          .map(([v, t]) => `<option value="${v}"${v === defaults[f.name] ? ' selected' : ''}>${escapeHtml(t[L])}</option>`)
          .join('')}</select>`;
      } else {
        control = `<input id="${id(f.name)}" name="${f.name}" type="${f.input || 'text'}" autocomplete="off"${value(f)}>`;
      }
      const hint = hintFor(f.name);
      const note = hint ? `<small class="hint" id="${id(f.name)}-hint">${escapeHtml(hint[L])}</small>` : '';
      if (hint) control = control.replace(/^<(input|select) /, `<$1 aria-describedby="${id(f.name)}-hint" `);
      return `<div class="field${f.type === 'text' ? ' wide' : ''}">${label}${control}${note}</div>`;
    };
    return `<style>${STYLE}</style>
      <section lang="${L === 'en' ? 'en' : 'zh-CN'}" aria-labelledby="${this._uid}-h">
        <h2 id="${this._uid}-h">${escapeHtml(ui.heading(this._packTitle(L)))}</h2>
        <p>${ui.intro}</p>
        <div class="verdict-bar" data-out="bar" aria-hidden="true"></div>
        <div class="bar">
          <button type="button" data-act="lang" aria-label="${ui.toggleLabel}">${ui.toggle}</button>
          <label class="file" data-act="import">${ui.import}<input type="file" accept=".json,application/json"></label>
          <button type="button" data-act="export">${ui.export}</button>
          <button type="button" data-act="export-report">${ui.exportReport}</button>
          <button type="button" data-act="print">${ui.print}</button>
          <button type="button" data-act="export-xlsx">${ui.exportXlsx}</button>
          <button type="button" data-act="export-html">${ui.exportHtml}</button>
          <button type="button" data-act="clear">${ui.clear}</button>
        </div>
        <form novalidate>${SECTIONS.map(
          (s) => `<fieldset data-section="${s.id}"><legend>${escapeHtml(s.title[L])}</legend>${s.fields.map(field).join('')}</fieldset>`,
        ).join('')}</form>
        <details class="sign"><summary>${ui.sign}</summary><div class="sign-fields">${SIGN_FIELDS.map(
          (k) => `<div class="field"><label for="${id(`sign-${k}`)}">${escapeHtml(ui.signFields[k])}</label><input id="${id(`sign-${k}`)}" data-sign="${k}" type="${k === 'date' ? 'date' : 'text'}" autocomplete="off"></div>`,
        ).join('')}</div></details>
        <div class="result" aria-live="polite">
          <div class="errors" role="alert"></div>
          <div class="note" data-note="import"></div>
          <div class="summary">${this._engine ? '' : `<p>${ui.loading}</p>`}</div>
          <div class="note" data-note="complete"></div>
          <div class="table"></div>
        </div>
      </section>`;
  }

  /** Fill the shown form with `values`, if given (its markup holds the defaults), and connect its controls. */
  _wire(values) {
    const form = this._root.querySelector('form');
    if (values) this._fillForm(values);
    form.addEventListener('input', () => {
      this._imported = null;
      this._score();
      this._saveDraft();
    });
    // Fields showing an import are read-only: an edit asks first (typing, a click on a select, a paste).
    for (const type of ['keydown', 'mousedown', 'paste']) form.addEventListener(type, (e) => this._unlockAsked(e), true);
    for (const el of this._root.querySelectorAll('[data-sign]')) el.addEventListener('input', () => this._saveDraft());
    this._root.querySelector('[data-act="print"]').addEventListener('click', () => this._print());
    this._root.querySelector('[data-act="export-xlsx"]').addEventListener('click', () => this._exportTable('xlsx'));
    this._root.querySelector('[data-act="export-html"]').addEventListener('click', () => this._exportTable('html'));
    form.addEventListener('submit', (e) => e.preventDefault());
    this._root.querySelector('[data-act="lang"]').addEventListener('click', () => {
      this.lang = this.lang === 'en' ? 'zh' : 'en';
      this._root.querySelector('[data-act="lang"]').focus();
    });
    this._root.querySelector('[data-act="import"] input').addEventListener('change', (e) => this._importFile(e.target));
    this._root.querySelector('[data-act="export"]').addEventListener('click', () =>
      this._download('pucha-observation.json', this._observation),
    );
    this._root.querySelector('[data-act="export-report"]').addEventListener('click', () =>
      this._download('pucha-report.json', this._report),
    );
    this._root.querySelector('[data-act="clear"]').addEventListener('click', () => {
      if (!window.confirm(this._ui().clearConfirm)) return;
      this._imported = null;
      this._evidence = null;
      this._setLocked(false);
      this._fillForm(defaultValues());
      for (const el of this._root.querySelectorAll('[data-sign]')) el.value = '';
      this._dropDraft();
      this._score();
    });
  }

  /** Show the counts the imported observation gives (its counts, and those derived from its evidence), read-only. */
  _showEvidence() {
    const rec = { ...evidenceRecord(this._report), ...observationToRecord(this._imported) };
    this._fillForm(rec);
    this._evidence = rec;
    this._setLocked(true);
  }

  /** Lock or unlock the form's fields: locked while it shows an imported observation. */
  _setLocked(locked) {
    for (const el of this._root.querySelectorAll('form [name]')) {
      if (locked) el.setAttribute('aria-readonly', 'true');
      else el.removeAttribute('aria-readonly');
      if (el.tagName === 'INPUT') el.readOnly = locked;
    }
    this._locked = locked;
  }

  /** An attempt to edit a locked field: ask, and on yes switch to typed counts (the evidence kept for overrides). */
  _unlockAsked(e) {
    if (!this._locked || !e.target.closest || !e.target.closest('form [name]')) return;
    if (e.type === 'keydown' && ['Tab', 'Shift', 'Escape'].includes(e.key)) return;
    e.preventDefault();
    if (!window.confirm(this._ui().override)) return;
    this._imported = null;
    this._setLocked(false);
    e.target.focus();
    this._score();
    this._saveDraft();
  }

  /** `observation` with the counts typed over an import's evidence recorded in `provenance.overrides`. */
  _withOverrides(observation) {
    if (!this._evidence) return observation;
    const typed = this._readForm();
    const overrides = Object.entries(this._evidence)
      .filter(([field, v]) => String(typed[field] ?? '') !== String(v))
      .map(([field, v]) => ({ field, evidence: v, typed: typed[field] ?? null }));
    if (!overrides.length) return observation;
    return { ...observation, provenance: { ...(observation.provenance || {}), overrides } };
  }

  /** The pack's title in `L`, from the built-in list (the report's, once scored). */
  _packTitle(L) {
    if (this._report) return this._report.pack.title[L];
    const id = this.getAttribute('pack') || 'census-2015';
    try {
      const p = packs().find((x) => x.id === id);
      if (p) return p.title[L];
    } catch {
      // Not loaded yet: the census table's title until the engine arrives.
    }
    return L === 'zh' ? '全国政府网站普查评分表（2015）' : '2015 census scoring table';
  }

  /** Where this page's draft is kept: one per page and pack. */
  _draftKey() {
    return `pucha-self-check:${location.pathname}:${this.getAttribute('pack') || 'census-2015'}`;
  }

  /** Keep the form and the hand-in fields in localStorage, so a reload loses nothing. */
  _saveDraft() {
    try {
      const draft = { form: this._readForm(), sign: this._signing(), imported: this._imported };
      localStorage.setItem(this._draftKey(), JSON.stringify(draft));
    } catch {
      // Storage full or refused (private mode): the form still works, without a draft.
    }
  }

  _dropDraft() {
    try {
      localStorage.removeItem(this._draftKey());
    } catch {
      // Nothing kept.
    }
  }

  /** The saved draft of this page and pack, or null. */
  _loadDraft() {
    try {
      const d = JSON.parse(localStorage.getItem(this._draftKey()) || 'null');
      return d && typeof d === 'object' && d.form && typeof d.form === 'object' ? d : null;
    } catch {
      return null;
    }
  }

  /** The hand-in fields typed, as `renderReport` takes them. */
  _signing() {
    const s = {};
    for (const el of this._root.querySelectorAll('[data-sign]')) if (el.value.trim()) s[el.dataset.sign] = el.value.trim();
    return s;
  }

  /** The 上报表 of the shown report as `format` (html or xlsx), from the CLI's renderer (its module, fetched now). */
  async _table(format) {
    if (!this._report) return null;
    try {
      await initRender();
      return renderReport(this._report, { format, lang: this.lang, signing: this._signing() });
    } catch (e) {
      this._root.querySelector('.errors').innerHTML = `<p>${escapeHtml(this._ui().renderError(e && e.message ? e.message : String(e)))}</p>`;
      return null;
    }
  }

  async _exportTable(format) {
    const out = await this._table(format);
    if (out === null) return;
    const type = format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/html;charset=utf-8';
    this._save(`上报表-${safeName(this._report.site.name || 'site')}.${format}`, new Blob([out], { type }));
  }

  /** Print the 上报表 (the signed layout, no buttons or form) from a frame of its own. */
  async _print() {
    const html = await this._table('html');
    if (html === null) return;
    const frame = document.createElement('iframe');
    frame.setAttribute('aria-hidden', 'true');
    frame.style.cssText = 'position:fixed;right:0;bottom:0;width:0;height:0;border:0';
    frame.srcdoc = html;
    frame.addEventListener('load', () => {
      frame.contentWindow.focus();
      frame.contentWindow.print();
      setTimeout(() => frame.remove(), 1000);
    });
    document.body.append(frame);
  }

  _fillForm(rec) {
    for (const el of this._root.querySelectorAll('form [name]')) {
      const v = rec[el.name];
      if (el.tagName === 'SELECT' && v === undefined && el.name === 'site.kind') el.value = 'portal';
      else if (el.type === 'date' && v !== undefined && v !== null && !isRealDate(String(v))) el.value = '';
      else el.value = v === undefined || v === null ? '' : String(v);
      el.removeAttribute('aria-invalid');
    }
  }

  _readForm() {
    const rec = {};
    for (const el of this._root.querySelectorAll('form [name]')) {
      const v = el.value.trim();
      if (el.type === 'number') {
        if (el.validity && el.validity.badInput) rec[el.name] = el.value || 'NaN';
        else if (v !== '') rec[el.name] = Number(v);
      } else if (el.tagName === 'SELECT' && (v === 'true' || v === 'false')) {
        rec[el.name] = v === 'true';
      } else if (v !== '') {
        rec[el.name] = v;
      }
    }
    // A pair counted together is left out until both are typed: the first of the two is no error while the
    // operator is still typing the second.
    for (const [a, b] of PAIRS) {
      if ((a in rec) !== (b in rec)) {
        delete rec[a];
        delete rec[b];
      }
    }
    return rec;
  }

  _score() {
    if (!this._engine) return;
    const t0 = performance.now();
    let ok = true;
    try {
      if (this._imported) {
        this._report = this._engine.score(this._imported);
        this._observation = this._imported;
        this._showEvidence();
      } else {
        const { observation, report } = this._engine.scoreFlat(this._readForm());
        this._report = report;
        this._observation = this._withOverrides(observation);
      }
    } catch (e) {
      ok = false;
      this._showErrors(e instanceof PuchaError ? e.errors : [{ message: String(e && e.message ? e.message : e) }]);
      if (this._imported) this._explainImport(this._imported);
      // The result shown is of the input before: greyed, and said to be so, until the input scores again.
      this._root.querySelector('.result')?.setAttribute('data-stale', 'true');
    }
    const t1 = performance.now();
    if (ok) this._show();
    const t2 = performance.now();
    this.lastTiming = { score: t1 - t0, render: t2 - t1 };
    if (ok) {
      this.dispatchEvent(
        new CustomEvent('pucha-score', {
          detail: { report: this._report, observation: this._observation, timing: this.lastTiming },
          bubbles: true,
          composed: true,
        }),
      );
    }
  }

  _showErrors(errors) {
    this._ensureShell();
    const ui = this._ui();
    const box = this._root.querySelector('.errors');
    for (const el of this._root.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    const lines = errors.map((e) => {
      const el = e.path ? this._fieldFor(e.path) : null;
      if (el) el.setAttribute('aria-invalid', 'true');
      const label = el ? this._root.querySelector(`label[for="${el.id}"]`)?.textContent : fieldLabel(e.path, this.lang);
      // The code stays for scripts (data-code), never in the sentence a person reads.
      return `<li${e.code ? ` data-code="${escapeHtml(e.code)}"` : ''}>${label ? `<strong>${escapeHtml(label)}</strong>：` : ''}${escapeHtml(errorWords(e, this.lang))}</li>`;
    });
    box.innerHTML = this._imported
      ? `<p>${escapeHtml(ui.importError(errors[0]?.message || ''))}</p>`
      : `<p>${ui.inputError}</p><ul>${lines.join('')}</ul>`;
  }

  _fieldFor(path) {
    let p = String(path).replace(/\[\d+\]/g, '');
    while (p) {
      const el = this._root.querySelector(`form [name="${CSS.escape(p)}"]`);
      if (el) return el;
      p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '';
    }
    return null;
  }

  /** Say why the engine could not be loaded, if it could not. */
  _showLoadError() {
    if (!this._loadError && !this._noWasm) return;
    const ui = this._ui();
    this._root.querySelector('.errors').innerHTML = `<p>${escapeHtml(this._noWasm ? ui.noWasm : ui.loadError(this._loadError))}</p>`;
    this._root.querySelector('.summary').innerHTML = '';
  }

  _show() {
    const r = this._report;
    if (!r) return;
    const ui = this._ui();
    const L = this.lang;
    this._root.querySelector('.errors').innerHTML = '';
    this._root.querySelector('.result').removeAttribute('data-stale');
    for (const el of this._root.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    this._root.querySelector('[data-note="import"]').textContent = this._imported ? ui.imported : '';
    // 未评定 until the filled-in data decide it: never a green 合格 for a form the missing fields could still fail.
    const verdictClass = r.verdict === 'pass' ? 'pass' : r.verdict === 'fail' ? 'fail' : 'undetermined';
    const threshold =
      r.fail_above != null ? ui.failAbove(fmtPoints(r.fail_above)) : r.fail_below != null ? ui.failBelow(fmtPoints(r.fail_below)) : '';
    const vetoes = r.vetoes.map((v) => `${escapeHtml(v.title[L])}（${v.clauses.map((c) => escapeHtml(c[L])).join('；')}）`);
    this._root.querySelector('.summary').innerHTML = `
      <div class="verdict ${verdictClass}" data-verdict="${r.verdict}">
        <span class="badge" data-out="verdict">${ui[verdictClass]}</span>
        <span class="num">${ui.score} <strong data-out="score">${r.score === null ? '—' : fmtPoints(r.score)}</strong></span>
        <span class="num">${ui.deduction} <strong data-out="deduction">${fmtPoints(r.total_deduction)}</strong>
          ${threshold ? `<small data-out="threshold">（${threshold}）</small>` : ''}</span>
        ${vetoes.length ? `<span data-out="vetoes"><strong>${ui.vetoed}</strong>：${vetoes.join('，')}</span>` : ''}
        <small>${ui.pack}：${escapeHtml(r.pack.title[L])}</small>
        ${r.pack.completeness === 'partial' ? `<small data-out="partial">${ui.partial}</small>` : ''}
      </div>`;
    this._root.querySelector('h2').textContent = ui.heading(r.pack.title[L]);
    this._root.querySelector('[data-out="bar"]').innerHTML = `<span class="badge ${verdictClass}">${ui[verdictClass]}</span>
      <span>${ui.score} <strong>${r.score === null ? '—' : fmtPoints(r.score)}</strong></span>
      <span>${ui.deduction} <strong>${fmtPoints(r.total_deduction)}</strong></span>`;
    const missing = r.rules.filter((x) => x.status === 'no_data').length;
    const notes = [r.complete ? ui.complete : ui.incomplete(missing)];
    for (const w of r.warnings) notes.push(`${ui.warnings}：${labelled(w.message[L], L)}`);
    this._root.querySelector('[data-note="complete"]').textContent = notes.join(' ');
    // Official layout: 一级指标 | 二级指标 | 考察点 | 扣分细则 | 存在的问题 | 扣分, 一级指标 spanning its rows.
    const groups = [];
    for (const rule of r.rules) {
      const last = groups[groups.length - 1];
      if (last && last.id === rule.indicator.id) last.rules.push(rule);
      else groups.push({ id: rule.indicator.id, title: rule.indicator[L][0], rules: [rule] });
    }
    const rows = groups
      .map((g) =>
        g.rules
          .map((rule, i) => {
            const chip = ui.status[rule.status] ? `<span class="chip">${ui.status[rule.status]}</span>` : '';
            let pts;
            if (rule.kind === 'veto') pts = rule.status === 'applied' ? ui.vetoCell : '—';
            else pts = fmtPoints(rule.points) + (rule.points && !rule.counted ? ui.notCounted : '');
            const head =
              i === 0
                ? `<th scope="rowgroup" rowspan="${g.rules.length}" data-label="${ui.cols[0]}">${escapeHtml(g.title)}</th>`
                : '';
            return `<tr data-rule="${escapeHtml(rule.id)}" data-status="${rule.status}" data-kind="${rule.kind}">${head}
              <td data-label="${ui.cols[1]}">${escapeHtml(rule.title[L])}${chip}</td>
              <td data-label="${ui.cols[2]}">${escapeHtml(rule.checkpoint[L])}</td>
              <td data-label="${ui.cols[3]}">${escapeHtml(rule.criteria[L])}</td>
              <td class="why" data-label="${ui.cols[4]}">${escapeHtml(labelled(rule.explanation[L], L))}</td>
              <td class="pts" data-label="${ui.cols[5]}">${pts}</td></tr>`;
          })
          .join(''),
      )
      .join('');
    this._root.querySelector('.table').innerHTML = `<table>
      <caption>${ui.caption}</caption>
      <thead><tr>${ui.cols.map((c) => `<th scope="col">${c}</th>`).join('')}</tr></thead>
      <tbody>${rows}</tbody></table>`;
  }

  /** Replace an imported observation's error with the core's words for it (the full module, fetched now). */
  async _explainImport(observation) {
    try {
      await init({ full: true });
      const said = explain('observation', JSON.stringify(observation));
      if (said && this._imported === observation) {
        const words = `${said.path ? `${fieldLabel(said.path, this.lang)}：` : ''}${said[this.lang]}`;
        this._root.querySelector('.errors').innerHTML = `<p>${escapeHtml(this._ui().importError(words))}</p>`;
      }
    } catch {
      // The engine's own message stays.
    }
  }

  async _importFile(input) {
    const file = input.files && input.files[0];
    if (!file) return;
    let text = null;
    try {
      // Refused before it is read: a file past the core's input limit would only fill the tab's memory.
      if (file.size > MAX_IMPORT_BYTES) {
        throw new Error(
          this.lang === 'zh'
            ? `文件过大：${file.size} 字节，上限 ${MAX_IMPORT_BYTES} 字节`
            : `the file is ${file.size} bytes, more than the limit of ${MAX_IMPORT_BYTES}`,
        );
      }
      text = await file.text();
      this.setObservation(text);
    } catch (e) {
      this._imported = null;
      let words = e && e.message ? e.message : String(e);
      // What is wrong with the file in the core's words, with the hint for a common mistake (a report, a list of
      // observations, 2015/6/30): the full module has them, fetched only now.
      if (text !== null) {
        try {
          await init({ full: true });
          const said = explain('observation', text);
          if (said) words = `${said.path ? `${fieldLabel(said.path, this.lang)}：` : ''}${said[this.lang]}`;
        } catch {
          // The engine's own message stays.
        }
      }
      this._showErrors([{ message: words }]);
      const ui = this._ui();
      this._root.querySelector('.errors').innerHTML = `<p>${escapeHtml(ui.importError(words))}</p>`;
    } finally {
      input.value = '';
    }
  }

  _download(name, value) {
    if (!value) return;
    this._save(name, new Blob([JSON.stringify(value, null, 2) + '\n'], { type: 'application/json' }));
  }

  _save(name, blob) {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }
}

// A browser without custom elements leaves the element as it is: its own fallback text shows (bindings/wasm/README.md).
if (typeof customElements !== 'undefined' && !customElements.get('pucha-self-check')) {
  customElements.define('pucha-self-check', PuchaSelfCheck);
}
